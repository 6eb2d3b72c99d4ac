package policy

import (
	"slices"
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// TestPrincipalAttrCond: the first conditions the index keys by a
// principal attribute, and near misses it must not.
func TestPrincipalAttrCond(t *testing.T) {
	tests := []struct {
		cond            string
		attr, lit       types.String
		ifMissing, want bool
	}{
		{`when { principal has ns && principal.ns == "a" }`, "ns", "a", false, true},
		{`when { principal has ns && "a" == principal.ns && context.x }`, "ns", "a", false, true},
		{`when { principal.ns == "a" }`, "ns", "a", true, true},
		{`when { "a" == principal["ns"] && principal.level > 1 }`, "ns", "a", true, true},
		{`when { principal has level && principal.ns == "a" }`, "", "", false, false}, // errors without ns
		{`when { principal.ns == 1 }`, "", "", false, false},
		{`when { resource.ns == "a" }`, "", "", false, false},
		{`unless { principal.ns == "a" }`, "", "", false, false},
		{`when { context.x } when { principal.ns == "a" }`, "", "", false, false},
		{`when { principal.ns == "a" || principal.ns == "b" }`, "", "", false, false},
		{`when { principal.ns != "a" }`, "", "", false, false},
	}
	for _, tt := range tests {
		ps, err := cedar.NewPolicyListFromBytes("t.cedar", []byte(`@id("p") permit (principal, action, resource) `+tt.cond+";"))
		if err != nil {
			t.Fatalf("%s: %v", tt.cond, err)
		}
		attr, lit, ifMissing, ok := principalAttrCond((*xast.Policy)(ps[0].AST()))
		if ok != tt.want || attr != tt.attr || lit != tt.lit || ifMissing != tt.ifMissing {
			t.Errorf("%s: got %q %q %v %v, want %q %q %v %v", tt.cond, attr, lit, ifMissing, ok, tt.attr, tt.lit, tt.ifMissing, tt.want)
		}
	}
}

// TestResourceInAttrCandidates: a `resource in` policy keyed by the
// principal attribute its condition requires is a candidate only for the
// principals that can satisfy it, or make it error (no `has`, attribute
// missing); a principal whose attribute is another string, or not a string,
// does not evaluate it.
func TestResourceInAttrCandidates(t *testing.T) {
	s, err := Load(mapFS(map[string]string{
		"p.cedar": `@id("guarded") permit (principal, action, resource in Folder::"f") when { principal has ns && principal.ns == "a" };
@id("bare") permit (principal, action, resource in Folder::"f") when { principal.ns == "a" };
@id("plain") permit (principal, action, resource in Folder::"f") when { principal.level > 0 };`,
		"entities.json": `[{"uid": {"type": "Doc", "id": "d"}, "attrs": {}, "parents": [{"type": "Folder", "id": "f"}]}]`,
	}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		attrs types.RecordMap
		want  []string
	}{
		{"ns a", types.RecordMap{"ns": types.String("a")}, []string{"guarded", "bare", "plain"}},
		{"ns b", types.RecordMap{"ns": types.String("b")}, []string{"plain"}},
		{"ns missing", types.RecordMap{}, []string{"bare", "plain"}},
		{"ns not a string", types.RecordMap{"ns": types.Long(1)}, []string{"plain"}},
	} {
		p := types.Entity{UID: uid("User", "u"), Attributes: types.NewRecord(tt.attrs)}
		r := req(p.UID, uid("Action", "read"), uid("Doc", "d"), nil)
		view := s.entityView([]types.Entity{p})
		ix := s.current().ix
		c := ix.lookup(r, s.entities, view, []types.Entity{p})
		var got []string
		for _, i := range c.list {
			got = append(got, string(s.entries[i].id))
		}
		ix.release(c)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: candidates %v, want %v", tt.name, got, tt.want)
		}
	}
}
