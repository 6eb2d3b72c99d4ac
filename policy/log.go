package policy

import (
	"errors"
	"time"
)

// logFailure logs a failed reload. A routine race (the directory changed
// while it was read, or kept changing) is retried on the next tick and
// logged at DEBUG. Any other failure is logged at ERROR when it starts or
// its message changes, and at DEBUG while it repeats.
func (w *Watcher) logFailure(err error, old *Snapshot) {
	msg := err.Error()
	if errors.Is(err, ErrChangedDuringRead) || errors.Is(err, ErrUnsettled) || errors.Is(err, ErrClosed) {
		w.log.Debug("policy source still changing; will retry on the next tick", "error", msg, "version", versionOf(old))
		return
	}
	if loud, n := w.failures.Fail(msg, time.Now()); loud {
		w.log.Error("policy reload failed; keeping the last good snapshot (logged again when it recovers or the error changes)",
			"error", msg, "version", versionOf(old), "failed_reloads", n)
	} else {
		w.log.Debug("policy reload still failing; keeping the last good snapshot",
			"error", msg, "version", versionOf(old), "failed_reloads", n)
	}
}

// logRecovery ends a run of failures, saying how long and how many.
func (w *Watcher) logRecovery(next *Snapshot) {
	if n, d, ok := w.failures.Recover(time.Now()); ok {
		w.log.Info("policy reloads succeed again", "failed_reloads", n,
			"failing_for", d.Round(time.Millisecond).String(), "version", next.Version())
	}
}
