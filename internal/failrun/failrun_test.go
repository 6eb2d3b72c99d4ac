package failrun

import (
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	var r Run
	t0 := time.Unix(1000, 0)
	if _, _, ok := r.Recover(t0); ok {
		t.Fatal("recovered without a run")
	}
	steps := []struct {
		msg  string
		loud bool
	}{{"a", true}, {"a", false}, {"a", false}, {"b", true}, {"b", false}}
	for i, s := range steps {
		if loud, n := r.Fail(s.msg, t0.Add(time.Duration(i)*time.Second)); loud != s.loud || n != i+1 {
			t.Fatalf("step %d: loud=%v n=%d", i, loud, n)
		}
	}
	if !r.Failing() {
		t.Fatal("not failing")
	}
	n, d, ok := r.Recover(t0.Add(10 * time.Second))
	if !ok || n != 5 || d != 10*time.Second || r.Failing() {
		t.Fatalf("recover: %d %v %v", n, d, ok)
	}
	if loud, n := r.Fail("a", t0); !loud || n != 1 {
		t.Fatal("a new run after recovery must be loud again")
	}
}
