package policy

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

// testNow is the fixed time used by tests that need a clock.
var testNow = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// fakeClock is a settable clock for exception tests.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

func mustLoadDir(t testing.TB, dir string, opts Options) *Snapshot {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return testNow }
	}
	s, err := LoadDir(dir, opts)
	if err != nil {
		t.Fatalf("LoadDir(%s): %v", dir, err)
	}
	return s
}

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

func uid(typ, id string) types.EntityUID {
	return types.NewEntityUID(types.EntityType(typ), types.String(id))
}

func req(principal, action, resource types.EntityUID, ctx types.RecordMap) cedar.Request {
	return cedar.Request{Principal: principal, Action: action, Resource: resource, Context: types.NewRecord(ctx)}
}
