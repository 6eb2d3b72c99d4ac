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

// TestAttrIndexFlat: the flat index gives each group exactly its own
// policies, when groups share attribute names and literals, a group
// requires two attributes, one literal keys several policies, and rows
// arrive in any order; the zero UID (the unscoped index) is a group too.
func TestAttrIndexFlat(t *testing.T) {
	f, g, none := uid("Folder", "f"), uid("Folder", "g"), types.EntityUID{}
	rows := []attrRow{
		{group: g, attr: "ns", lit: "a", pos: 7, ifMissing: true},
		{group: f, attr: "team", lit: "x", pos: 5},
		{group: f, attr: "ns", lit: "a", pos: 1, ifMissing: true},
		{group: f, attr: "ns", lit: "b", pos: 2},
		{group: f, attr: "ns", lit: "a", pos: 3},
		{group: none, attr: "ns", lit: "a", pos: 9, ifMissing: true},
	}
	a := newAttrIndex(slices.Clone(rows))
	principal := func(attrs types.RecordMap) types.Entity {
		return types.Entity{UID: uid("User", "u"), Attributes: types.NewRecord(attrs)}
	}
	for _, tt := range []struct {
		name  string
		group types.EntityUID
		attrs types.RecordMap
		found bool
		want  []int32
	}{
		{"f ns a", f, types.RecordMap{"ns": types.String("a")}, true, []int32{1, 3}},
		{"f ns a team x", f, types.RecordMap{"ns": types.String("a"), "team": types.String("x")}, true, []int32{1, 3, 5}},
		{"f ns b team y", f, types.RecordMap{"ns": types.String("b"), "team": types.String("y")}, true, []int32{2}},
		{"f nothing", f, types.RecordMap{}, true, []int32{1}},
		{"f principal not found", f, types.RecordMap{"ns": types.String("a")}, false, []int32{1}},
		{"f ns not a string", f, types.RecordMap{"ns": types.Long(1)}, true, nil},
		{"g ns a", g, types.RecordMap{"ns": types.String("a")}, true, []int32{7}},
		{"g ns b", g, types.RecordMap{"ns": types.String("b")}, true, nil},
		{"unscoped ns a", none, types.RecordMap{"ns": types.String("a")}, true, []int32{9}},
		{"unscoped nothing", none, types.RecordMap{}, true, []int32{9}},
		{"unknown group", uid("Folder", "h"), types.RecordMap{}, true, nil},
	} {
		got := a.appendFor(nil, tt.group, principal(tt.attrs), tt.found)
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if empty := newAttrIndex(nil); len(empty.appendFor(nil, f, principal(nil), true)) != 0 {
		t.Error("an empty index selects policies")
	}
}
