package authz

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/tollgate-authz/tollgate/policy"
)

// trustDomainPolicies are IAM policies that tell trust domains apart with
// principal.trust_domain, loaded by the real policy package. The entity data
// puts one partner.org workload in the storefront team, as a federation
// grant gone too far would.
var trustDomainPolicies = fstest.MapFS{
	"orders.cedar": {Data: []byte(`
@id("example-org-reads-orders")
permit (principal is Workload, action == Action::"ReadOrder", resource)
when { principal.trust_domain == "example.org" };

@id("storefront-updates-orders")
permit (principal in Team::"storefront", action == Action::"UpdateOrder", resource);

// Team membership from another trust domain grants nothing.
@id("storefront-is-example-org-only")
forbid (principal in Team::"storefront", action, resource)
when { principal.trust_domain != "example.org" };
`)},
	"entities.json": {Data: []byte(`[
  {"uid": {"type": "Workload", "id": "spiffe://example.org/ns/shop/sa/frontend"}, "attrs": {}, "parents": [{"type": "Team", "id": "storefront"}]},
  {"uid": {"type": "Workload", "id": "spiffe://partner.org/ns/shop/sa/billing"}, "attrs": {}, "parents": [{"type": "Team", "id": "storefront"}]},
  {"uid": {"type": "Team", "id": "storefront"}, "attrs": {}, "parents": []}
]`)},
}

// TestEngineTrustDomain: the same SPIFFE path in another trust domain is
// another principal. spiffe://partner.org/ns/shop/sa/frontend has the
// namespace and service account of the example.org frontend, and is still
// denied what the example.org one is allowed.
func TestEngineTrustDomain(t *testing.T) {
	snap, err := policy.Load(trustDomainPolicies, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEngine(t, snap)
	const (
		partnerFrontend = "spiffe://partner.org/ns/shop/sa/frontend"
		partnerBilling  = "spiffe://partner.org/ns/shop/sa/billing"
	)
	tests := []struct {
		name      string
		principal string
		method    string
		outcome   Outcome
		code      string
		policies  []string
	}{
		{"example.org reads", frontend, "GET", Allow, "permit", []string{"example-org-reads-orders"}},
		{"partner.org same path may not read", partnerFrontend, "GET", Forbidden, "no_permit", nil},
		{"example.org team member updates", frontend, "PUT", Allow, "permit", []string{"storefront-updates-orders"}},
		{"partner.org same path is not in the team", partnerFrontend, "PUT", Forbidden, "no_permit", nil},
		{"partner.org team member forbidden", partnerBilling, "PUT", Forbidden, "forbid", []string{"storefront-is-example-org-only"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := e.Check(context.Background(), req(tt.principal, tt.method, "/orders/42"))
			if d.Outcome != tt.outcome || d.Code.String() != tt.code || !slices.Equal(d.Policies, tt.policies) {
				t.Fatalf("got %s/%s policies %q (%s), want %s/%s policies %q",
					d.Outcome, d.Code, d.Policies, d.Detail, tt.outcome, tt.code, tt.policies)
			}
			if d.Identity == nil || d.Identity.ID.String() != tt.principal {
				t.Fatalf("decision identity %+v, want %s", d.Identity, tt.principal)
			}
		})
	}
}
