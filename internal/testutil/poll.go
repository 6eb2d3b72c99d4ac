// Package testutil holds the helpers that tests of several packages share:
// polling for a condition and reading Prometheus metrics. It is imported by
// tests only.
package testutil

import (
	"testing"
	"time"
)

// Poll calls cond every interval until it returns nil. It fails t when
// timeout passes, or as soon as stop (which may be nil) returns an error,
// such as a process that exited. what names the wait in the failure.
func Poll(t testing.TB, what string, timeout, interval time.Duration, cond func() error, stop func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return
		}
		if stop != nil {
			if serr := stop(); serr != nil {
				t.Fatalf("waiting for %s: %v", what, serr)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s: %v", timeout, what, err)
		}
		time.Sleep(interval)
	}
}

// Eventually timings: long enough for a loaded CI machine, short enough
// that a passing wait costs little.
const (
	EventuallyTimeout  = 20 * time.Second
	EventuallyInterval = 20 * time.Millisecond
)

// Eventually polls cond every EventuallyInterval until it holds, failing t
// after EventuallyTimeout.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	Poll(t, what, EventuallyTimeout, EventuallyInterval, func() error {
		if cond() {
			return nil
		}
		return errNotYet
	}, nil)
}

type notYet struct{}

func (notYet) Error() string { return "condition not met" }

var errNotYet error = notYet{}
