// Package failrun tracks a run of repeated failures of something retried
// on a timer (a policy reload, a bundle fetch, a bundle file re-read), so
// its log says when a failure starts, when its cause changes and when it
// ends, with a count, instead of repeating on every retry.
package failrun

import "time"

// Run is the current run of failures; the zero value is no run. It is not
// safe for concurrent use: callers hold their own lock.
type Run struct {
	count int
	since time.Time
	last  string
}

// Fail records a failure with message msg at now. loud reports whether to
// log it at the failure's level: the first of a run, or a new message.
// Otherwise log it at DEBUG. count is the failures in the run so far.
func (r *Run) Fail(msg string, now time.Time) (loud bool, count int) {
	if r.count == 0 {
		r.since = now
	}
	r.count++
	loud, r.last = msg != r.last, msg
	return loud, r.count
}

// Recover ends the run at now. ok reports whether there was one; count and
// lasted say how many failures and how long, for the recovery's log line.
func (r *Run) Recover(now time.Time) (count int, lasted time.Duration, ok bool) {
	if r.count == 0 {
		return 0, 0, false
	}
	count, lasted = r.count, now.Sub(r.since)
	*r = Run{}
	return count, lasted, true
}

// Failing reports whether a run is in progress.
func (r *Run) Failing() bool { return r.count > 0 }
