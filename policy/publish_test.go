package policy

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

// TestStoreDenyWhenStale: while the source reports stale, every request
// is a ReasonStale denial naming the version in force, and the snapshot
// is not consulted; once fresh again, the policies decide.
func TestStoreDenyWhenStale(t *testing.T) {
	clock := &fakeClock{now: testNow}
	st := NewStore(nil)
	st.Swap(mustLoadDir(t, "testdata/exception", Options{Clock: clock.Now}).WithVersion("v7"))
	aliceRead := req(uid("User", "alice"), uid("Action", "read"), uid("Doc", "1"), nil)
	if d := st.Evaluate(aliceRead); !d.Allow {
		t.Fatalf("fresh: %+v", d)
	}
	var stale atomic.Bool
	st.DenyWhenStale(stale.Load)
	if d := st.Evaluate(aliceRead); !d.Allow {
		t.Fatalf("fresh source: %+v", d)
	}
	stale.Store(true)
	if d := st.Evaluate(aliceRead); d.Allow || d.Reason != ReasonStale || d.Version != "v7" || len(d.Determining) != 0 {
		t.Fatalf("stale source: %+v", d)
	}
	stale.Store(false)
	if d := st.Evaluate(aliceRead); !d.Allow {
		t.Fatalf("fresh again: %+v", d)
	}
}

// TestStoreCountsExceptionDecisions: a decision a governed exception
// determined is counted by its outcome; other decisions are not.
func TestStoreCountsExceptionDecisions(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{now: testNow}
	st := NewStore(m)
	st.Swap(mustLoadDir(t, "testdata/exception", Options{Clock: clock.Now, MaxExceptionWindow: 48 * time.Hour}))
	st.Evaluate(req(uid("User", "bob"), uid("Action", "read"), uid("Doc", "1"), nil))   // the exception allows
	st.Evaluate(req(uid("User", "alice"), uid("Action", "read"), uid("Doc", "1"), nil)) // the baseline allows
	st.Evaluate(req(uid("User", "eve"), uid("Action", "read"), uid("Doc", "1"), nil))   // nothing allows
	for decision, want := range map[string]float64{"allow": 1, "deny": 0} {
		got := testutil.MustValue(t, reg, "tollgate_exception_decisions_total", map[string]string{"decision": decision})
		if got != want {
			t.Errorf("exception decisions %s = %v, want %v", decision, got, want)
		}
	}
}

// TestWatcherIsASource: a Watcher is ready once its Store holds a
// snapshot and is never stale.
func TestWatcherIsASource(t *testing.T) {
	st := NewStore(nil)
	if err := (&Watcher{store: st}).Ready(); !errors.Is(err, ErrNoSnapshot) {
		t.Fatalf("empty store: Ready = %v", err)
	}
	w, err := NewWatcher(st, WatcherOptions{Dir: "testdata/exception", Interval: time.Hour, Settle: time.Millisecond,
		LoadOptions: Options{MaxExceptionWindow: 0}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var src Source = w
	if err := src.Ready(); err != nil || src.Stale() {
		t.Fatalf("Ready = %v, Stale = %v", err, src.Stale())
	}
}
