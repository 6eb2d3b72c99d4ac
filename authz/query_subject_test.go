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
		{"malformed subject", realVerifier(t), "spiffe://partner.org/a//b", BadRequest, CodeBadQuery.String(), "subject.id: not a SPIFFE ID: path cannot contain empty segments", false},
		{"no subject check", onlyVerify{}, frontend, Unavailable, CodeInternal.String(), "asserted subjects", false},
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
			if d.Outcome != tt.outcome || d.Code.String() != tt.code || !strings.Contains(d.Detail, tt.reason) {
				t.Fatalf("got %v %q %q, want %v %q ~%q", d.Outcome, d.Code, d.Detail, tt.outcome, tt.code, tt.reason)
			}
			if (d.Identity != nil) != tt.identity || d.Allowed() != (tt.outcome == Allow) {
				t.Fatalf("identity %v, allowed %v", d.Identity, d.Allowed())
			}
		})
	}
}

// TestEvaluateSubjectScope: an enforcement point with subject patterns may
// assert only subjects they match; the refusal is a denial naming the
// caller, before any policy is asked.
func TestEvaluateSubjectScope(t *testing.T) {
	shop, err := identity.ParseIDPattern("spiffe://example.org/ns/shop/*")
	if err != nil {
		t.Fatal(err)
	}
	exact, err := identity.ParseIDPattern("spiffe://partner.org/ns/ai/sa/agent")
	if err != nil {
		t.Fatal(err)
	}
	permitAll := `@id("any-workload") permit (principal is Workload, action, resource);`
	e := newTestEngine(t, loadPolicies(t, permitAll))
	tests := []struct {
		name     string
		subjects []identity.IDPattern
		subject  string
		code     string
	}{
		{"unscoped caller", nil, "spiffe://example.org/ns/ops/sa/admin", "permit"},
		{"under the prefix", []identity.IDPattern{shop, exact}, frontend, "permit"},
		{"exact", []identity.IDPattern{shop, exact}, "spiffe://partner.org/ns/ai/sa/agent", "permit"},
		{"outside the patterns", []identity.IDPattern{shop, exact}, "spiffe://example.org/ns/ops/sa/admin", CodeSubjectNotAllowed.String()},
		{"prefix is not a string prefix", []identity.IDPattern{shop}, "spiffe://example.org/ns/shopper/sa/x", CodeSubjectNotAllowed.String()},
		{"the prefix itself", []identity.IDPattern{shop}, "spiffe://example.org/ns/shop", CodeSubjectNotAllowed.String()},
		{"a zero pattern matches nothing", []identity.IDPattern{{}}, frontend, CodeSubjectNotAllowed.String()},
		{"trust domain still checked", []identity.IDPattern{shop}, "spiffe://made-up.example/ns/shop/sa/x", "identity_untrusted_domain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := query(tt.subject, "ReadOrder", "Order", "42")
			q.Subjects = tt.subjects
			d := e.Evaluate(context.Background(), q)
			if d.Code.String() != tt.code {
				t.Fatalf("code %s (%s), want %q", d.Code, d.Detail, tt.code)
			}
			if d.Code == CodeSubjectNotAllowed && (d.Outcome != Forbidden || !strings.Contains(d.Detail, pep.String()) || len(d.Policies) != 0) {
				t.Fatalf("refusal %v %q %v", d.Outcome, d.Detail, d.Policies)
			}
		})
	}
	if c, ok := ParseCode("subject_not_allowed"); !ok || c != CodeSubjectNotAllowed || c.Outcome() != Forbidden {
		t.Errorf("subject_not_allowed is not a Forbidden code of its own: %v %v", c, ok)
	}
}
