package policy

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cedar-policy/cedar-go/types"
)

const attrShapeEntities = `[
 {"uid":{"type":"Workload","id":"w"},"attrs":{"department":"shop"},"parents":[]},
 {"uid":{"type":"Order","id":"1"},"attrs":{"owner":"w"},"parents":[]},
 {"uid":{"type":"User","id":"alice"},"attrs":{"email":"a@example.org"},"parents":[]},
 {"uid":{"type":"Team","id":"payments"},"attrs":{},"parents":[]}
]`

func attrShape() *Shape {
	sh := testShape()
	sh.Principals = []types.EntityType{"Workload"}
	sh.Resources = []types.EntityType{"Order", "Invoice"}
	sh.EntityTypes["Invoice"] = true
	sh.Attributes = map[types.EntityType][]string{"Workload": {"trust_domain", "path"}}
	sh.Context.Attrs["on_behalf_of"] = &Attr{Type: "User", Open: true, Entity: "User"}
	return sh
}

func TestCheckShapeEntityAttributes(t *testing.T) {
	tests := []struct {
		name, cedar string
		errs, warns int    // how many of each
		want        string // in the first one
	}{
		{"forbid typo: one error for has and read", `@id("p") forbid (principal, action, resource)
when { principal has departmnt && principal.departmnt == "x" };`, 1, 0, "principal.departmnt: no Workload entity has departmnt (did you mean department?)"},
		{"permit typo: a warning", `@id("p") permit (principal, action, resource) when { principal.departmnt == "x" };`,
			0, 1, "principal.departmnt"},
		{"attribute Tollgate sets", `@id("p") forbid (principal, action, resource) when { principal.trust_domain == "x" };`, 0, 0, ""},
		{"in scope: the principal's types", `@id("p") forbid (principal in Team::"payments", action, resource) when { principal.email == "x" };`,
			1, 0, "no Workload entity has email"},
		{"== scope pins the type", `@id("p") forbid (principal == User::"alice", action, resource) when { principal.email == "x" };`, 0, 0, ""},
		{"resource: one described type has it", `@id("p") forbid (principal, action, resource) when { resource.owner == principal };`, 0, 0, ""},
		{"resource typo: described and undescribed types", `@id("p") forbid (principal, action, resource) when { resource.ownr == principal };`,
			1, 0, "resource.ownr: no Order entity has ownr (did you mean owner?); they have owner (and Invoice entities have no attributes)"},
		{"only undescribed types: a warning", `@id("p") forbid (principal, action, resource is Invoice) when { resource has paid };`,
			0, 1, "resource.paid: no Invoice entity has attributes"},
		{"subject", `@id("p") forbid (principal, action, resource) when { context.on_behalf_of.mail == "x" };`,
			1, 0, "context.on_behalf_of.mail: no User entity has mail (did you mean email?)"},
		{"entity literal", `@id("p") forbid (principal, action, resource) when { Order::"1" has ownr };`,
			1, 0, `Order::"1".ownr`},
		{"attribute of an attribute is not followed", `@id("p") forbid (principal, action, resource) when { resource.owner.x == 1 };`, 0, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap, err := Load(fstest.MapFS{"p.cedar": {Data: []byte(tc.cedar)},
				"entities.json": {Data: []byte(attrShapeEntities)}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			warns, err := snap.CheckShapeWarnings(attrShape())
			errs := flatten(err)
			if len(errs) != tc.errs || len(warns) != tc.warns {
				t.Fatalf("errors %v, warnings %v; want %d and %d", errs, warns, tc.errs, tc.warns)
			}
			for _, e := range append(errs, warns...) {
				if !errors.Is(e, ErrNeverProduced) {
					t.Errorf("%v does not wrap ErrNeverProduced", e)
				}
				if !strings.Contains(e.Error(), tc.want) {
					t.Errorf("%v lacks %q", e, tc.want)
				}
			}
		})
	}
}

// Without the manifests the resource's types are unknown: its attribute
// reads are not checked (the principal's still are: it is a Workload).
func TestCheckShapeUnknownResourceTypes(t *testing.T) {
	snap, err := Load(fstest.MapFS{"p.cedar": {Data: []byte(`@id("p") forbid (principal, action, resource) when { resource.ownr == 1 };`)},
		"entities.json": {Data: []byte(attrShapeEntities)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sh := attrShape()
	sh.Resources = nil
	if warns, err := snap.CheckShapeWarnings(sh); err != nil || len(warns) != 0 {
		t.Fatalf("warnings %v, error %v; want none", warns, err)
	}
}

// The answer does not depend on how policies and entity data's types are
// split across files.
func TestCheckShapeEntityAttributesSplitFiles(t *testing.T) {
	a := `@id("a") forbid (principal, action, resource) when { principal has departmnt };`
	b := `@id("b") permit (principal, action, resource) when { resource.ownr == principal };`
	ents := fstest.MapFile{Data: []byte(attrShapeEntities)}
	one := fstest.MapFS{"p.cedar": {Data: []byte(a + "\n" + b)}, "entities.json": &ents}
	two := fstest.MapFS{"a.cedar": {Data: []byte(a)}, "sub/b.cedar": {Data: []byte(b)}, "entities.json": &ents}
	var got [2]string
	for i, fsys := range []fstest.MapFS{one, two} {
		snap, err := Load(fsys, Options{})
		if err != nil {
			t.Fatal(err)
		}
		warns, err := snap.CheckShapeWarnings(attrShape())
		var msgs []string
		for _, e := range append(flatten(err), warns...) {
			var le *LoadError
			if !errors.As(e, &le) {
				t.Fatalf("%v is not a LoadError", e)
			}
			msgs = append(msgs, le.PolicyID+": "+le.Err.Error())
		}
		got[i] = strings.Join(msgs, "\n")
	}
	if got[0] != got[1] || strings.Count(got[0], "\n") != 1 {
		t.Fatalf("one file:\n%s\ntwo files:\n%s", got[0], got[1])
	}
}
