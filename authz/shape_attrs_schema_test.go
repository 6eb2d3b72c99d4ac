package authz

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tollgate-authz/tollgate/policy"
)

const attrSchema = `
entity Workload { trust_domain: String, path: String, namespace?: String, service_account?: String, department?: String };
entity Order { owner: Workload };
action ReadOrder appliesTo { principal: [Workload], resource: [Order] };
`

func loadAttrSchemaPolicies(cedarText string) (*policy.Snapshot, error) {
	return policy.Load(fstest.MapFS{"p.cedar": {Data: []byte(cedarText)},
		"schema.cedarschema": {Data: []byte(attrSchema)}}, policy.Options{})
}

// With a schema, cedar-go's validator types attribute reads: a read of an
// undeclared attribute is refused at load.
func TestSchemaRefusesUndeclaredAttributeRead(t *testing.T) {
	for _, text := range []string{
		`@id("a") forbid (principal, action == Action::"ReadOrder", resource) when { principal.departmnt == "x" };`,
		`@id("b") forbid (principal, action == Action::"ReadOrder", resource) when { resource.ownr != principal };`,
	} {
		if _, err := loadAttrSchemaPolicies(text); !errors.Is(err, policy.ErrSchemaInvalid) {
			t.Errorf("Load(%s) = %v, want ErrSchemaInvalid", text, err)
		}
	}
}

// The validator types `has` on an undeclared attribute as false and skips
// what it guards, so a forbid guarded by it loads yet never fires.
// CheckPolicies refuses it.
func TestSchemaForbidHasUndeclaredAttribute(t *testing.T) {
	snap, err := loadAttrSchemaPolicies(`@id("no-contractors")
forbid (principal, action == Action::"ReadOrder", resource)
when { principal has departmnt && principal.departmnt == "contractors" };`)
	if err != nil {
		t.Fatalf("the validator is expected to let this load: %v", err)
	}
	err = CheckPolicies(snap, PolicyCheck{})
	if !errors.Is(err, policy.ErrNeverProduced) {
		t.Fatalf("CheckPolicies = %v, want an error wrapping ErrNeverProduced", err)
	}
	for _, w := range []string{`@id("no-contractors")`, "principal.departmnt", "did you mean department?"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
}

// With a schema, the schema's declarations are what an entity can have:
// an attribute no entity data holds yet is fine when it is declared.
func TestSchemaDeclaredAttributeWithoutData(t *testing.T) {
	snap, err := loadAttrSchemaPolicies(`@id("a") forbid (principal, action == Action::"ReadOrder", resource)
when { principal has department && principal.department == "contractors" };`)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPolicies(snap, PolicyCheck{}); err != nil {
		t.Fatalf("CheckPolicies = %v, want nil", err)
	}
}
