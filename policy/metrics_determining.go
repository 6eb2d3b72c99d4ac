package policy

import (
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// noPolicy is the policy label of a decision no policy determined
// (no_permit, no_snapshot, stale_policy, invalid_request).
const noPolicy = "none"

// determiningMetric is tollgate_policy_determining_total{policy,decision}:
// how often each policy @id determined a decision. The policy label holds
// only the @ids of the snapshot in force plus "none": when a snapshot is
// swapped in, the series of policies it no longer holds are deleted, so
// reloads cannot grow the series count without bound. Prometheus reads
// the deletion as the end of that series; rate() over it is unaffected.
type determiningMetric struct {
	vec *prometheus.CounterVec

	mu       sync.Mutex                      // guards creating and deleting children
	loaded   atomic.Pointer[map[string]bool] // @ids of the snapshot in force
	children sync.Map                        // [2]string{policy, decision} -> Counter
}

func newDeterminingMetric() *determiningMetric {
	d := &determiningMetric{vec: prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "tollgate", Subsystem: "policy", Name: "determining_total",
		Help: "Evaluations by determining policy @id (\"none\" when no policy determined the decision) and decision (allow or deny).",
	}, []string{"policy", "decision"})}
	d.loaded.Store(&map[string]bool{})
	return d
}

// observe counts one evaluation once per determining policy.
func (d *determiningMetric) observe(dec *Decision) {
	decision := "deny"
	if dec.Allow {
		decision = "allow"
	}
	if len(dec.Determining) == 0 {
		d.inc(noPolicy, decision)
		return
	}
	for _, id := range dec.Determining {
		d.inc(id, decision)
	}
}

func (d *determiningMetric) inc(id, decision string) {
	k := [2]string{id, decision}
	if c, ok := d.children.Load(k); ok {
		c.(prometheus.Counter).Inc()
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if id != noPolicy && !(*d.loaded.Load())[id] {
		return // decided by a snapshot already swapped out: not labelled
	}
	c := d.vec.WithLabelValues(id, decision)
	d.children.Store(k, c)
	c.Inc()
}

// swap makes s's policies the allowed label values and deletes the series
// of every other policy.
func (d *determiningMetric) swap(s *Snapshot) {
	ids := map[string]bool{}
	if s != nil {
		for _, p := range s.Policies() {
			ids[p.ID] = true
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.loaded.Store(&ids)
	d.children.Range(func(key, _ any) bool {
		k := key.([2]string)
		if k[0] != noPolicy && !ids[k[0]] {
			d.children.Delete(k)
			d.vec.DeleteLabelValues(k[0], k[1])
		}
		return true
	})
}
