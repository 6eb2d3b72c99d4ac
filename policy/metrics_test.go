package policy

import (
	"reflect"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

// determining reads tollgate_policy_determining_total as policy/decision
// -> count.
func determining(t *testing.T, reg *prometheus.Registry) map[[2]string]float64 {
	t.Helper()
	out := map[[2]string]float64{}
	for _, s := range testutil.Samples(t, reg, "tollgate_policy_determining_total") {
		out[[2]string{s.Labels["policy"], s.Labels["decision"]}] = s.Value
	}
	return out
}

func TestDeterminingMetric(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	st := NewStore(m)
	alice, root, bob, order := uid("User", "alice"), uid("User", "root"), uid("User", "bob"), uid("Order", "42")
	act := func(a string) types.EntityUID { return uid("Action", a) }
	st.Evaluate(req(alice, act("read"), order, nil)) // no snapshot
	st.Swap(mustLoadDir(t, "testdata/basic", Options{}))
	st.Evaluate(req(alice, act("read"), order, nil))                  // permit org-read
	st.Evaluate(req(alice, act("read"), order, nil))                  // permit org-read
	st.Evaluate(req(alice, act("read"), uid("Order", "frozen"), nil)) // forbid deny-frozen
	st.Evaluate(req(bob, act("read"), order, nil))                    // no permit
	st.Evaluate(req(root, act("delete"), order, types.RecordMap{"risk": types.Long(9)}))
	want := map[[2]string]float64{
		{"none", "deny"}:              2,
		{"org-read", "allow"}:         2,
		{"deny-frozen", "deny"}:       1,
		{"deny-risky-delete", "deny"}: 1,
	}
	if got := determining(t, reg); !mapsEqual(got, want) {
		t.Fatalf("determining = %v, want %v", got, want)
	}
	// A snapshot without org-read: its series go, so the label set stays
	// bounded by the loaded policies plus "none" across reloads.
	st.Swap(mustLoad(t, map[string]string{"p.cedar": `@id("only") permit(principal, action, resource);`}))
	st.Evaluate(req(bob, act("read"), order, nil))
	got := determining(t, reg)
	want = map[[2]string]float64{{"none", "deny"}: 2, {"only", "allow"}: 1}
	if !mapsEqual(got, want) {
		t.Fatalf("after reload determining = %v, want %v", got, want)
	}
	st.Swap(nil)
	for k := range determining(t, reg) {
		if k[0] != "none" {
			t.Errorf("series %v outlived its snapshot", k)
		}
	}
}

func mustLoad(t *testing.T, files map[string]string) *Snapshot {
	t.Helper()
	s, err := Load(mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mapsEqual(a, b map[[2]string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// The determining metric holds the @ids in force through the snapshot's own
// byID map, not a copy (a copy is 0.43 MB of live heap at 10k policies).
func TestDeterminingMetricSharesSnapshotIDs(t *testing.T) {
	m, err := NewMetrics(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := mustLoadDir(t, "testdata/basic", Options{})
	m.snapshot(s)
	if got, want := reflect.ValueOf(*m.determ.loaded.Load()).UnsafePointer(),
		reflect.ValueOf(s.byID).UnsafePointer(); got != want {
		t.Fatalf("determining metric holds its own @id map %p, want the snapshot's %p", got, want)
	}
	m.snapshot(nil)
	if n := len(*m.determ.loaded.Load()); n != 0 {
		t.Fatalf("after swapping to no snapshot, %d @ids still labelled", n)
	}
}
