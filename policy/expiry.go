package policy

import (
	"context"
	"time"
)

// WithVersion returns a snapshot identical to s but labelled version (for
// example the version a signed bundle's manifest declares). s is unchanged.
func (s *Snapshot) WithVersion(version string) *Snapshot {
	c := &Snapshot{
		hash: s.hash, label: version, loadedAt: s.loadedAt, entries: s.entries, byID: s.byID,
		entities: s.entities, schema: s.schema, clock: s.clock,
	}
	c.active.Store(s.active.Load())
	return c
}

// RefreshExceptions re-reads the exception gauges of the snapshot in force.
func (s *Store) RefreshExceptions() { s.metrics.exceptions(s.Current()) }

// RunExpiryTimer refreshes the exception gauges at each exception expiry of
// the snapshot in force, without waiting for a reload, and at least every
// maxWait (to follow swaps). It returns when ctx is done.
func (s *Store) RunExpiryTimer(ctx context.Context, maxWait time.Duration) {
	for {
		wait := maxWait
		if cur := s.Current(); cur != nil {
			now := cur.clock()
			if next, ok := cur.NextExpiry(now); ok && next.Sub(now) < wait {
				wait = max(next.Sub(now), 0) + time.Millisecond
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
			s.RefreshExceptions()
		}
	}
}
