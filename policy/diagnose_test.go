package policy

import (
	"testing"
	"testing/fstest"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

func TestDiagnose(t *testing.T) {
	src := `@id("p") permit (principal, action == Action::"a", resource)
when { context has env && context.env == "prod" && context.n > 1 };
@id("f") forbid (principal, action == Action::"a", resource) unless { context.ok };
@id("other") permit (principal, action == Action::"b", resource);`
	snap, err := Load(fstest.MapFS{"p.cedar": {Data: []byte(src)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	req := func(ctx types.RecordMap) cedar.Request {
		return cedar.Request{Principal: types.NewEntityUID("Workload", "w"), Action: types.NewEntityUID("Action", "a"),
			Resource: types.NewEntityUID("R", "r"), Context: types.NewRecord(ctx)}
	}
	tests := []struct {
		name, id string
		ctx      types.RecordMap
		cond     string
		erred    bool
		read     string
	}{
		{"first false conjunct", "p", types.RecordMap{"env": types.String("dev"), "ok": types.True},
			`when { context.env == "prod" }`, false, "context.env"},
		{"absent attribute", "p", types.RecordMap{"ok": types.True}, `when { context has env }`, false, ""},
		{"erring conjunct", "p", types.RecordMap{"env": types.String("prod"), "n": types.String("x")},
			`when { context.n > 1 }`, true, "context.n"},
		{"unless that holds", "f", types.RecordMap{"ok": types.True}, `unless { context.ok }`, false, "context.ok"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := snap.Diagnose(tc.id, req(tc.ctx))
			if !ok || m.Erred != tc.erred {
				t.Fatalf("Diagnose = %+v, %v", m, ok)
			}
			if m.Condition != tc.cond {
				t.Errorf("condition %q, want %q", m.Condition, tc.cond)
			}
			if tc.read != "" && (len(m.Reads) == 0 || m.Reads[0].Path != tc.read) {
				t.Errorf("reads %+v, want %s", m.Reads, tc.read)
			}
		})
	}
	if _, ok := snap.Diagnose("other", req(nil)); ok {
		t.Error("a policy out of scope has no diagnosis")
	}
	if got := snap.InScope(req(types.RecordMap{})); len(got) != 2 {
		t.Errorf("InScope = %v, want p and f", got)
	}
}
