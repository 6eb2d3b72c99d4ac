package policy

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cedar-policy/cedar-go/types"
)

func testShape() *Shape {
	str := &Attr{Type: "String"}
	return &Shape{
		Context: &Attr{Type: "record", Attrs: map[string]*Attr{
			"method": str, "risk_score": {Type: "Long"},
			"jwt": {Type: "record", Attrs: map[string]*Attr{"sub": {Type: "claim", Open: true}}},
			"mcp": {Type: "record", Attrs: map[string]*Attr{"tool": str, "arguments": {Type: "record", Open: true}}},
		}},
		EntityTypes:    map[types.EntityType]bool{"Workload": true, "Order": true},
		Actions:        map[types.EntityUID]bool{types.NewEntityUID("Action", "ReadOrder"): true},
		ActionPrefixes: []string{"github:"},
	}
}

const shapeEntities = `[{"uid":{"type":"Team","id":"payments"},"attrs":{},"parents":[]}]`

func TestCheckShape(t *testing.T) {
	tests := []struct {
		name, cedar string
		want        []string // substrings of the error; none: no error
	}{
		{"fits", `@id("p") forbid (principal in Team::"payments", action == Action::"ReadOrder", resource is Order)
when { context has risk_score && context.risk_score > 5 && context.jwt.sub == "x" && context.mcp.arguments.q == 1 };`, nil},
		{"context typo", `@id("p") forbid (principal, action, resource) when { context has riskscore && context.riskscore > 5 };`,
			[]string{`@id("p")`, "context.riskscore is never set by Tollgate (did you mean risk_score?)"}},
		{"unknown claim", `@id("p") forbid (principal, action, resource) when { context.jwt.subject == "x" };`,
			[]string{"context.jwt.subject is never set"}},
		{"attribute of a string", `@id("p") forbid (principal, action, resource) when { context.method.x == "x" };`,
			[]string{"context.method is a String, which has no attributes"}},
		{"unknown mcp attribute", `@id("p") forbid (principal, action, resource) when { context.mcp.tol == "x" };`,
			[]string{"context.mcp.tol is never set", "did you mean tool?"}},
		{"unknown action", `@id("p") forbid (principal, action == Action::"ReadOrdr", resource);`,
			[]string{`action Action::"ReadOrdr"`, "did you mean ReadOrder?"}},
		{"per-tool action", `@id("p") forbid (principal, action == Action::"github:create_issue", resource);`, nil},
		{"unknown type", `@id("p") forbid (principal, action, resource is Ordr);`, []string{"entity type Ordr", "did you mean Order?"}},
		{"unknown entity of a data type", `@id("p") forbid (principal in Team::"paymnts", action, resource);`,
			[]string{`entity Team::"paymnts" is not in the entity data`}},
		{"request entity need not be in the data", `@id("p") permit (principal, action, resource == Order::"1");`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap, err := Load(fstest.MapFS{"p.cedar": {Data: []byte(tc.cedar)}, "entities.json": {Data: []byte(shapeEntities)}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			err = snap.CheckShape(testShape())
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrNeverProduced) {
				t.Fatalf("error %v does not wrap ErrNeverProduced", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
		})
	}
}

// The answer does not depend on how the policies are split across files.
func TestCheckShapeSplitFiles(t *testing.T) {
	a := `@id("a") forbid (principal, action, resource) when { context.riskscore > 5 };`
	b := `@id("b") forbid (principal, action == Action::"Nope", resource);`
	one := fstest.MapFS{"p.cedar": {Data: []byte(a + "\n" + b)}}
	two := fstest.MapFS{"a.cedar": {Data: []byte(a)}, "b.cedar": {Data: []byte(b)}}
	var msgs [2][]string
	for i, fsys := range []fstest.MapFS{one, two} {
		snap, err := Load(fsys, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range flatten(snap.CheckShape(testShape())) {
			var le *LoadError
			if !errors.As(e, &le) {
				t.Fatalf("%v is not a LoadError", e)
			}
			msgs[i] = append(msgs[i], le.PolicyID+": "+le.Err.Error())
		}
	}
	if strings.Join(msgs[0], "\n") != strings.Join(msgs[1], "\n") || len(msgs[0]) != 2 {
		t.Fatalf("one file: %v\ntwo files: %v", msgs[0], msgs[1])
	}
}

func TestCheckShapeUnknownIsNotChecked(t *testing.T) {
	snap, err := Load(fstest.MapFS{"p.cedar": {Data: []byte(`@id("p") forbid (principal, action == Action::"X", resource is Y) when { context.z };`)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := snap.CheckShape(&Shape{}); err != nil {
		t.Fatalf("an unknown shape checks nothing: %v", err)
	}
}
