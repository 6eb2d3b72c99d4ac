package policy

import (
	"slices"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// TestGrants: a principal holds the permits whose principal scope names it
// or a group it is in, whatever their action, resource and conditions;
// not forbids, and not permits open to every principal.
func TestGrants(t *testing.T) {
	snap := mustLoad(t, map[string]string{"p.cedar": `
@id("eq") permit(principal == Workload::"a", action == Action::"R", resource) when { false };
@id("grp") permit(principal in Group::"g", action, resource);
@id("is") permit(principal is Workload, action, resource);
@id("other") permit(principal == Workload::"b", action, resource);
@id("all") permit(principal, action, resource);
@id("no") forbid(principal == Workload::"a", action, resource);
`, "entities.json": `[{"uid":{"type":"Workload","id":"a"},"attrs":{},"parents":[{"type":"Group","id":"g"}]}]`})
	got := snap.Grants(types.NewEntityUID("Workload", "a"))
	if want := []string{"eq", "grp", "is"}; !slices.Equal(got, want) {
		t.Fatalf("grants %v, want %v", got, want)
	}
}
