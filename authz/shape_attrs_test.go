package authz

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/policy"
)

// IAM's entity data for the attribute checks: a Workload with a department
// (beside the attributes Tollgate sets on every Workload), an Order with an
// owner, a User the subject token names.
const attrEntities = `[
 {"uid":{"type":"Workload","id":"spiffe://example.org/ns/shop/sa/frontend"},"attrs":{"department":"shop"},"parents":[]},
 {"uid":{"type":"Order","id":"1"},"attrs":{"owner":{"__entity":{"type":"Workload","id":"spiffe://example.org/ns/shop/sa/frontend"}}},"parents":[]},
 {"uid":{"type":"User","id":"alice"},"attrs":{"email":"alice@example.org"},"parents":[]}
]`

func loadAttrPolicies(t *testing.T, cedarText string) *policy.Snapshot {
	t.Helper()
	snap, err := policy.Load(fstest.MapFS{"p.cedar": {Data: []byte(cedarText)},
		"entities.json": {Data: []byte(attrEntities)}}, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// A forbid that reads a principal or resource attribute no entity can have
// never applies: `has` is false, and the read errors only on the requests
// that reach it. Without a schema, CheckPolicies refuses it, naming the
// file, line, @id and the nearest attribute the data has.
func TestCheckPoliciesForbidReadsUnknownEntityAttribute(t *testing.T) {
	tests := []struct {
		name, cedar string
		want        []string
	}{
		{"principal has typo", `@id("no-contractors")
forbid (principal, action, resource)
when { principal has departmnt && principal.departmnt == "contractors" };`,
			[]string{`p.cedar:1:1: policy @id("no-contractors")`, "principal.departmnt", "did you mean department?"}},
		{"resource attribute typo", `@id("owner-only")
forbid (principal, action, resource)
when { resource.ownr != principal };`,
			[]string{`policy @id("owner-only")`, "resource.ownr", "did you mean owner?"}},
		{"bracket read", `@id("b") forbid (principal, action, resource) when { principal["departmnt"] == "x" };`,
			[]string{"principal.departmnt", "did you mean department?"}},
		{"subject typo", `@id("s") forbid (principal, action, resource)
when { context has on_behalf_of && context.on_behalf_of has emial };`,
			[]string{"context.on_behalf_of.emial", "did you mean email?"}},
		{"entity literal", `@id("l") forbid (principal, action, resource) when { User::"alice".emial == "x" };`,
			[]string{`User::"alice".emial`, "did you mean email?"}},
		{"scope pins the type", `@id("t") forbid (principal, action, resource is Order) when { resource has department };`,
			[]string{"resource.department", "no Order entity"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := loadAttrPolicies(t, tc.cedar)
			err := CheckPolicies(snap, PolicyCheck{Manifest: ordersManifest(t), Delegation: &DelegationContext{}})
			if !errors.Is(err, policy.ErrNeverProduced) {
				t.Fatalf("CheckPolicies = %v, want an error wrapping ErrNeverProduced", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
		})
	}
}

// Reads of attributes some entity can have are fine: the data's, the ones
// Tollgate sets on every Workload, and a `has` guarding an attribute one of
// the allowed types has.
func TestCheckPoliciesKnownEntityAttributes(t *testing.T) {
	snap := loadAttrPolicies(t, `@id("a") forbid (principal, action, resource)
when { principal has department && principal.department == "contractors" };
@id("b") forbid (principal, action, resource) when { resource has owner && resource.owner != principal };
@id("c") forbid (principal, action, resource)
when { principal.trust_domain != "example.org" || (principal has namespace && principal.namespace == "x") };
@id("d") forbid (principal, action, resource) when { context has on_behalf_of && context.on_behalf_of.email == "x" };
@id("e") permit (principal, action, resource) when { principal["path"] == "/x" };`)
	warns, err := CheckPoliciesWarnings(snap, PolicyCheck{Manifest: ordersManifest(t), Delegation: &DelegationContext{}})
	if err != nil || len(warns) != 0 {
		t.Fatalf("CheckPoliciesWarnings = %v, %v; want neither", warns, err)
	}
}

// A permit that reads an attribute no entity has never applies: a denial,
// so a warning, not a refusal. A read on a type nothing describes (the
// manifests' resource types with no entity data) cannot be judged: a
// warning for a forbid too.
func TestCheckPoliciesAttributeWarnings(t *testing.T) {
	tests := []struct {
		name, cedar string
		want        []string
	}{
		{"permit typo", `@id("p") permit (principal, action, resource) when { principal.departmnt == "shop" };`,
			[]string{`p.cedar:1:1: policy @id("p")`, "principal.departmnt: no Workload entity has departmnt", "did you mean department?"}},
		{"the action narrows the resource's types", `@id("l") forbid (principal, action == Action::"ListOrders", resource) when { resource has owner };`,
			[]string{"resource.owner: no Service entity has attributes"}},
		{"undescribed type", `@id("f") forbid (principal, action, resource is Service) when { resource has frozen };`,
			[]string{"resource.frozen: no Service entity has attributes", "the name cannot be checked"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := loadAttrPolicies(t, tc.cedar)
			warns, err := CheckPoliciesWarnings(snap, PolicyCheck{Manifest: ordersManifest(t)})
			if err != nil {
				t.Fatalf("a warning must not refuse the version: %v", err)
			}
			if len(warns) != 1 || !errors.Is(warns[0], policy.ErrNeverProduced) {
				t.Fatalf("warnings %v, want one wrapping ErrNeverProduced", warns)
			}
			for _, w := range tc.want {
				if !strings.Contains(warns[0].Error(), w) {
					t.Errorf("warning lacks %q: %v", w, warns[0])
				}
			}
		})
	}
}

// The attributes the shape check says Tollgate sets on a principal are
// exactly those the mapper sets.
func TestPrincipalAttrsMatchMapper(t *testing.T) {
	id := identity.Identity{ID: spiffeid.RequireFromString("spiffe://example.org/ns/shop/sa/frontend")}
	var got []string
	for k := range PrincipalEntity(id).Attributes.Keys() {
		got = append(got, string(k))
	}
	want := principalAttrs()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("the mapper sets %v, principalAttrs says %v", got, want)
	}
}
