package authz

import (
	"context"
	"strings"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity"
)

// realVerifier is identity's Verifier trusting example.org only: the rule
// the Envoy door applies to a proxy's source principal.
func realVerifier(t testing.TB) *identity.Verifier {
	t.Helper()
	v, err := identity.NewVerifier(identity.Config{TrustSourcePrincipal: true,
		TrustDomains: []spiffeid.TrustDomain{spiffeid.RequireTrustDomainFromString("example.org")}})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// onlyVerify is an Identifier that cannot check asserted subjects.
type onlyVerify struct{ fakeIdentifier }

func (onlyVerify) VerifyAsserted() {}

// TestEvaluateSubjectTrustDomain: an asserted subject outside
// identity.trust_domains is refused with the code the Envoy door gives a
// source principal of a foreign trust domain, even where a policy would
// permit it; an engine that cannot check subjects refuses every query.
func TestEvaluateSubjectTrustDomain(t *testing.T) {
	const foreign = "spiffe://partner.org/ns/shop/sa/frontend"
	permitAll := `@id("any-workload") permit (principal is Workload, action, resource);`
	tests := []struct {
		name     string
		id       Identifier
		subject  string
		outcome  Outcome
		code     string
		reason   string
		identity bool
	}{
		{"trusted subject", realVerifier(t), frontend, Allow, "permit", "", true},
		{"foreign subject", realVerifier(t), foreign, Unauthenticated, "identity_untrusted_domain", "partner.org", false},
		{"malformed subject", realVerifier(t), "spiffe://partner.org/a//b", BadRequest, CodeBadQuery, "subject.id", false},
		{"no subject check", onlyVerify{}, frontend, Unavailable, CodeInternal, "asserted subjects", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t, loadPolicies(t, permitAll))
			cfg.Identifier = tt.id
			e, err := NewEngine(cfg)
			if err != nil {
				t.Fatal(err)
			}
			d := e.Evaluate(context.Background(), query(tt.subject, "ReadOrder", "Order", "42"))
			if d.Outcome != tt.outcome || d.Code != tt.code || !strings.Contains(d.Reason, tt.reason) {
				t.Fatalf("got %v %q %q, want %v %q ~%q", d.Outcome, d.Code, d.Reason, tt.outcome, tt.code, tt.reason)
			}
			if (d.Identity != nil) != tt.identity || d.Allowed() != (tt.outcome == Allow) {
				t.Fatalf("identity %v, allowed %v", d.Identity, d.Allowed())
			}
		})
	}
}
