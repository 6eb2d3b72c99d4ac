package authz

import (
	"context"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/policy"
)

// ignoringIdentifier is a Verifier with trust_source_principal false.
type ignoringIdentifier struct{}

func (ignoringIdentifier) Verify(context.Context, identity.Credentials) (identity.Identity, error) {
	return identity.Identity{}, &identity.Error{Reason: identity.ReasonMissing, Err: identity.ErrPrincipalIgnored}
}

// TestIgnoredPrincipalSaysSo: a request carrying a source principal that
// the config does not trust is not told "no identity credential presented".
func TestIgnoredPrincipalSaysSo(t *testing.T) {
	cfg := testConfig(t, policyFunc(func(cedar.Request, ...types.Entity) policy.Decision {
		return policy.Decision{Allow: true, Reason: policy.ReasonPermit}
	}))
	cfg.Identifier = ignoringIdentifier{}
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := e.Check(context.Background(), req(frontend, "GET", "/orders/42"))
	if d.Allowed() || d.Code.String() != "identity_missing" {
		t.Fatalf("decision %+v", d)
	}
	if !strings.Contains(d.Detail, "trust_source_principal") {
		t.Errorf("reason %q does not say the principal was ignored", d.Detail)
	}
}
