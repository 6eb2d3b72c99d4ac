package spire

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// waitingLog is what Tollgate logs while the Workload API does not answer.
const waitingLog = "workload API watch failed"

// TestAgentDownAtStart: with no agent behind the configured socket and
// start_timeout 2s, tollgate serve gives up and exits non-zero with an error
// that names the socket. It needs no SPIRE.
func TestAgentDownAtStart(t *testing.T) {
	root, err := os.MkdirTemp("", "tgsp") // short: unix socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	cfg := editConfig(t, tollgateConfig(t, root), func(m map[string]any) {
		workloadAPIOf(t, m)["workload_api"].(map[string]any)["start_timeout"] = "2s"
	})
	p := startConfig(t, exampleCopy(t), cfg)
	select {
	case <-p.Exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("tollgate still running 30s after start with start_timeout 2s and no agent\n%s", p.Stderr.String())
	}
	socket := "unix://" + filepath.Join(root, "agent", "api.sock")
	stderr := p.Stderr.String()
	var exit *exec.ExitError
	if !errors.As(p.ExitErr, &exit) || exit.ExitCode() <= 0 {
		t.Fatalf("exit: %v, want a non-zero exit code (tollgate's stderr is logged below)", p.ExitErr)
	}
	if strings.Contains(stderr, "panic:") || !strings.Contains(stderr, socket) || !strings.Contains(stderr, "within 2s") {
		t.Fatalf("exit %d: want a clear error (no panic) naming %s and the 2s start_timeout; tollgate's stderr is logged below",
			exit.ExitCode(), socket)
	}
}

// TestTollgateBeforeAgent: Tollgate starts while the agent is not running
// yet; it waits (not ready, retrying), and once the agent starts within
// start_timeout it becomes ready and decides correctly.
func TestTollgateBeforeAgent(t *testing.T) {
	s := startSPIREServer(t)
	tg := launchTollgate(t, s, fromWorkloadAPI)
	waitFor(t, "tollgate to retry the Workload API", 20*time.Second, func() error {
		select {
		case <-tg.Exited:
			t.Fatalf("tollgate exited while waiting for the agent: %v\n%s", tg.ExitErr, tg.Stderr.String())
		default:
		}
		if !strings.Contains(tg.Stderr.String(), waitingLog) {
			return fmt.Errorf("no %q log yet", waitingLog)
		}
		return nil
	}, s.server)
	if err := tg.ready(); err == nil {
		t.Fatal("tollgate ready before the agent ran")
	}
	s.startAgent(s.joinToken())
	tg.WaitReady()
	var rs []result
	waitFor(t, "the workload's first SVID", 60*time.Second, func() (err error) {
		rs, err = runWorkload(s, tg)
		return err
	}, s.server, s.agent)
	assertDecisions(t, tg, rs)
}
