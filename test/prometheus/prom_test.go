package prometheus

import (
	"errors"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

// waitFor polls cond until it holds, the process exits or the deadline passes.
func waitFor(t *testing.T, d time.Duration, exited <-chan struct{}, cond func() bool, what string) {
	t.Helper()
	testutil.Poll(t, what, d, 100*time.Millisecond, func() error {
		if cond() {
			return nil
		}
		return errors.New("not yet")
	}, func() error {
		select {
		case <-exited:
			return errors.New("process exited")
		default:
			return nil
		}
	})
}
