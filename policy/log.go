package policy

import (
	"errors"
	"time"
)

// failures is a run of failed reloads: logged when it starts (and when the
// error changes), counted while it repeats, and logged again when it ends.
type failures struct {
	count int
	since time.Time
	last  string // the message last logged
}

// logFailure logs a failed reload. A routine race (the directory changed
// while it was read, or kept changing) is retried on the next tick and
// logged at DEBUG. Any other failure is logged at ERROR when it starts or
// its message changes, and at DEBUG while it repeats.
func (w *Watcher) logFailure(err error, old *Snapshot) {
	f := &w.failures
	if f.count == 0 {
		f.since = time.Now()
	}
	f.count++
	msg := err.Error()
	switch {
	case errors.Is(err, ErrChangedDuringRead), errors.Is(err, ErrUnsettled), errors.Is(err, ErrClosed):
		w.log.Debug("policy source still changing; will retry on the next tick", "error", msg, "version", versionOf(old))
	case msg == f.last:
		w.log.Debug("policy reload still failing; keeping the last good snapshot",
			"error", msg, "version", versionOf(old), "failed_reloads", f.count)
	default:
		f.last = msg
		w.log.Error("policy reload failed; keeping the last good snapshot (logged again when it recovers or the error changes)",
			"error", msg, "version", versionOf(old), "failed_reloads", f.count)
	}
}

// logRecovery ends a run of failures, saying how long and how many.
func (w *Watcher) logRecovery(next *Snapshot) {
	f := &w.failures
	if f.count == 0 {
		return
	}
	if f.last != "" {
		w.log.Info("policy reloads succeed again", "failed_reloads", f.count,
			"failing_for", time.Since(f.since).Round(time.Millisecond).String(), "version", next.Version())
	}
	*f = failures{}
}
