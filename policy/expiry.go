package policy

import (
	"context"
	"log/slog"
	"slices"
	"time"
)

// WithVersion returns a snapshot identical to s but labelled version (for
// example the version a signed bundle's manifest declares). s is unchanged.
func (s *Snapshot) WithVersion(version string) *Snapshot {
	c := &Snapshot{
		hash: s.hash, label: version, loadedAt: s.loadedAt, entries: s.entries, byID: s.byID,
		entities: s.entities, schema: s.schema, clock: s.clock, refused: s.refused,
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

// ExpiredExceptions returns the governed exceptions of the snapshot that
// have expired at now. They take no part in evaluation; they are kept only
// so they can be reported (tollgate_exceptions_expired, tollgate validate).
func (s *Snapshot) ExpiredExceptions(now time.Time) []Exception {
	var out []Exception
	for _, e := range s.entries {
		if x := e.meta.Exception; x != nil && !now.Before(x.Expires) {
			out = append(out, *x)
		}
	}
	return out
}

// Refused returns one *LoadError per governed exception that was refused
// (malformed, or approved for longer than Options.MaxExceptionWindow). The
// file holding it was left out of the snapshot; the rest loaded. A file
// that also holds a forbid is never left out: the whole load fails.
func (s *Snapshot) Refused() []error { return slices.Clone(s.refused) }

// warnExceptions logs the refused and the expired exceptions of a newly
// loaded snapshot.
func (s *Snapshot) warnExceptions(log *slog.Logger, now time.Time) {
	for _, err := range s.refused {
		log.Warn("governed exception refused; its file is not loaded, the rest of the policy is", "error", err)
	}
	for _, x := range s.ExpiredExceptions(now) {
		e := s.byID[x.PolicyID]
		log.Warn("governed exception has expired and no longer applies; remove it from the policy source",
			"ticket", x.Ticket, "policy", x.PolicyID, "file", e.meta.position(),
			"expired", x.Expires.UTC().Format(time.RFC3339))
	}
}
