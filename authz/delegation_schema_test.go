package authz

import (
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go/x/exp/schema"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// The manifest schema check knows the delegation attributes: their types,
// and that they are absent from requests without a subject token.
func TestDelegationSchemaCheck(t *testing.T) {
	const base = `entity Workload, Order, User, Group;
action A appliesTo { principal: Workload, resource: Order, context: { method: String, %s } };`
	doc := "routes:\n  - name: r\n    match: { path: /x }\n    action: A\n    resource: { type: Order, id: x }\n"
	m, err := manifest.Parse("m.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	deleg := &DelegationContext{EntityType: "User", Claims: []string{"email"}}
	for _, tc := range []struct {
		name, ctx string
		deleg     *DelegationContext
		want      string // "" means fits
	}{
		{"fits", "on_behalf_of?: User, delegation?: Set<String>, delegation_length?: Long, subject?: { email?: String }", deleg, ""},
		{"required", "on_behalf_of: User", deleg, "context.on_behalf_of, which is absent from some requests"},
		{"wrong entity type", "on_behalf_of?: Group", deleg, "context.on_behalf_of is a User in requests but the schema declares Group"},
		{"chain not a set", "delegation?: Long", deleg, "context.delegation is a Set<String> in requests"},
		{"unconfigured claim", "subject?: { acr: String }", deleg, "context.subject.acr, which is not a configured claim"},
		{"delegation off", "on_behalf_of?: User", nil, ""},
		{"delegation off, required", "on_behalf_of: User", nil, "context.on_behalf_of, which Tollgate never provides"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s schema.Schema
			if err := s.UnmarshalCedar([]byte(strings.Replace(base, "%s", tc.ctx, 1))); err != nil {
				t.Fatal(err)
			}
			res, err := s.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			err = checkManifest(m, res, mapperContext(nil, nil, tc.deleg, false))
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}
