package policy

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

func TestSnapshotAt(t *testing.T) {
	fsys := fstest.MapFS{"p.cedar": {Data: []byte(`@id("x") @exception("INC-1") @approved_by("a") @expires("2030-01-01T00:00:00Z")
permit (principal, action, resource);`)}}
	snap, err := Load(fsys, Options{Clock: func() time.Time { return time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	req := cedar.Request{Principal: types.NewEntityUID("Workload", "w"), Action: types.NewEntityUID("Action", "a"),
		Resource: types.NewEntityUID("R", "r")}
	for _, tc := range []struct {
		at    time.Time
		allow bool
	}{
		{time.Date(2029, 12, 31, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		if d := snap.At(tc.at).Evaluate(req); d.Allow != tc.allow {
			t.Errorf("at %v: allow %v, want %v", tc.at, d.Allow, tc.allow)
		}
	}
	if d := snap.Evaluate(req); !d.Allow {
		t.Error("At changed the original snapshot")
	}
}
