package spire

import (
	"fmt"
	"testing"
	"time"
)

// TestRealSPIRE: one SPIRE server and agent; Tollgates taking their bundles
// from the agent's Workload API and from an exported bundle file; a workload
// with a 30s X.509-SVID calling both with each carrier.
func TestRealSPIRE(t *testing.T) {
	s := startSPIRE(t)
	wl := startTollgate(t, s, fromWorkloadAPI)
	tgs := []*tollgate{startTollgate(t, s, fromFile), wl}

	// The first SVID takes a few seconds: poll the workload until it has one.
	var first []result
	waitFor(t, "the workload's first SVID", 60*time.Second, func() (err error) {
		first, err = runWorkload(s, tgs[0])
		return err
	}, s.server, s.agent)

	t.Run("decisions", func(t *testing.T) {
		assertDecisions(t, tgs[0], first)
		for _, tg := range tgs[1:] {
			assertDecisions(t, tg, mustRunWorkload(t, s, tg))
		}
	})

	t.Run("rotation", func(t *testing.T) {
		// Every run while waiting for the new serial must also decide right.
		var rotated []result
		waitFor(t, "an SVID rotation", 90*time.Second, func() error {
			rs := mustRunWorkload(t, s, tgs[0])
			if assertDecisions(t, tgs[0], rs); t.Failed() {
				t.FailNow()
			}
			if rs[0].Serial == first[0].Serial {
				return fmt.Errorf("serial still %s", rs[0].Serial)
			}
			rotated = rs
			return nil
		}, s.server, s.agent)
		t.Logf("SVID rotated: serial %s -> %s", first[0].Serial, rotated[0].Serial)
		for _, tg := range tgs {
			assertDecisions(t, tg, mustRunWorkload(t, s, tg))
		}
	})

	t.Run("agent restart", func(t *testing.T) {
		saved := t.TempDir()
		mustRunWorkload(t, s, tgs[0], "-save", saved)
		s.restartAgent(func() {
			// The agent is down: Tollgate keeps verifying with the bundles
			// it has, and stays ready (max_bundle_age is 5m).
			for _, tg := range tgs {
				assertDecisions(t, tg, mustRunWorkload(t, s, tg, "-replay", saved))
				if err := tg.ready(); err != nil {
					t.Errorf("%s: not ready while the agent is down: %v", tg.source, err)
				}
			}
		})
		back := time.Now()
		// Tollgate reconnects by itself: an update arrives from the new agent.
		waitFor(t, "Tollgate to reconnect to the restarted agent", 60*time.Second, func() error {
			age, err := wl.bundleAge()
			if err != nil {
				return err
			}
			if since := time.Since(back); age >= since {
				return fmt.Errorf("last bundle update %v ago, agent back %v ago", age, since)
			}
			return nil
		}, s.server, s.agent)
		// The agent is back: fresh SVIDs from it are served and accepted.
		var after []result
		waitFor(t, "the workload's SVID after the agent restart", 60*time.Second, func() (err error) {
			after, err = runWorkload(s, tgs[0])
			return err
		}, s.server, s.agent)
		assertDecisions(t, tgs[0], after)
		for _, tg := range tgs[1:] {
			assertDecisions(t, tg, mustRunWorkload(t, s, tg))
		}
	})
}
