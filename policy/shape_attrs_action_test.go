package policy

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cedar-policy/cedar-go/types"
)

const actionAttrEntities = `[
 {"uid":{"type":"Order","id":"1"},"attrs":{"owner":"w"},"parents":[]},
 {"uid":{"type":"Invoice","id":"1"},"attrs":{"paid":true},"parents":[]},
 {"uid":{"type":"Action","id":"ReadOrder"},"attrs":{},"parents":[{"type":"Action","id":"readOnly"}]},
 {"uid":{"type":"Action","id":"readOnly"},"attrs":{},"parents":[]}
]`

func actionAttrShape() *Shape {
	sh := attrShape()
	sh.EntityTypes["Invoice"] = true
	read, list := types.NewEntityUID("Action", "ReadOrder"), types.NewEntityUID("Action", "ListInvoices")
	sh.Actions[list] = true
	sh.ActionResources = map[types.EntityUID][]types.EntityType{read: {"Order"}, list: {"Invoice"}}
	return sh
}

// The action scope narrows the resource's types to those the manifests
// produce its actions with.
func TestCheckShapeResourceTypesOfTheActions(t *testing.T) {
	tests := []struct {
		name, cedar string
		want        string // in the error; "" for none
	}{
		{"the action's type has it", `action == Action::"ReadOrder", resource) when { resource has owner };`, ""},
		{"another action's type has it", `action == Action::"ListInvoices", resource) when { resource has owner };`,
			"resource.owner: no Invoice entity has owner"},
		{"either action", `action in [Action::"ReadOrder", Action::"ListInvoices"], resource) when { resource has owner };`, ""},
		{"an action group's members", `action in Action::"readOnly", resource) when { resource has paid };`,
			"resource.paid: no Order entity has paid"},
		{"a per-tool action may have any type", `action == Action::"github:x", resource) when { resource has owner };`, ""},
		{"any action", `action, resource) when { resource has paid };`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap, err := Load(fstest.MapFS{"p.cedar": {Data: []byte(`@id("p") forbid (principal, ` + tc.cedar)},
				"entities.json": {Data: []byte(actionAttrEntities)}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			warns, err := snap.CheckShapeWarnings(actionAttrShape())
			if len(warns) != 0 {
				t.Errorf("warnings: %v", warns)
			}
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
