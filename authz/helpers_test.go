package authz

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/policy"
)

// fakeIdentifier "verifies" Credentials.SourcePrincipal as a SPIFFE ID;
// "expired" and "" fail like a real verifier would.
type fakeIdentifier struct{ claims map[string]any }

var _ Identifier = fakeIdentifier{}

func (f fakeIdentifier) Verify(_ context.Context, c identity.Credentials) (identity.Identity, error) {
	switch c.SourcePrincipal {
	case "":
		return identity.Identity{}, &identity.Error{Reason: identity.ReasonMissing, Err: identity.ErrNoIdentity}
	case "expired":
		return identity.Identity{}, &identity.Error{Source: identity.SourceJWT, Reason: identity.ReasonExpired, Err: errors.New("token expired")}
	case "weird":
		return identity.Identity{}, &identity.Error{Reason: "made_up_reason", Err: errors.New("x")}
	}
	id, err := spiffeid.FromString(c.SourcePrincipal)
	if err != nil {
		return identity.Identity{}, &identity.Error{Source: identity.SourcePrincipal, Reason: identity.ReasonMalformed, Err: err}
	}
	if f.claims != nil {
		return identity.Identity{ID: id, Source: identity.SourceJWT, Claims: f.claims}, nil
	}
	return identity.Identity{ID: id, Source: identity.SourcePrincipal}, nil
}

// cedarPolicies is a minimal Policies over cedar.Authorize, failing closed
// on erroring forbids like policy.Store does.
type cedarPolicies struct{ ps *cedar.PolicySet }

var _ Policies = cedarPolicies{}

// Version is the fake's one version, "" with no policies.
func (c cedarPolicies) Version() string {
	if c.ps == nil {
		return ""
	}
	return "test-1"
}

func (c cedarPolicies) Evaluate(req cedar.Request, extra ...types.Entity) policy.Decision {
	if c.ps == nil {
		return policy.Decision{Reason: policy.ReasonNoSnapshot}
	}
	ents := types.EntityMap{}
	for _, e := range extra {
		ents[e.UID] = e
	}
	ok, diag := cedar.Authorize(c.ps, ents, req)
	d := policy.Decision{Version: "test-1", Allow: bool(ok)}
	for _, e := range diag.Errors {
		forbid := c.ps.Get(e.PolicyID).Effect() == cedar.Forbid
		d.Errors = append(d.Errors, policy.EvalError{PolicyID: string(e.PolicyID), Forbid: forbid, Kind: policy.ErrorOther})
		if forbid {
			d.Allow, d.Reason = false, policy.ReasonForbidError
		}
	}
	for _, r := range diag.Reasons {
		d.Determining = append(d.Determining, string(r.PolicyID))
	}
	switch {
	case d.Reason != "":
	case d.Allow:
		d.Reason = policy.ReasonPermit
	case len(diag.Reasons) > 0:
		d.Reason = policy.ReasonForbid
	default:
		d.Reason = policy.ReasonNoPermit
	}
	return d
}

// loadPolicies parses Cedar text, adding each policy under its @id.
func loadPolicies(t testing.TB, text string) cedarPolicies {
	t.Helper()
	list, err := cedar.NewPolicyListFromBytes("test.cedar", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	ps := cedar.NewPolicySet()
	for _, p := range list {
		ps.Add(cedar.PolicyID(p.Annotations()["id"]), p)
	}
	return cedarPolicies{ps: ps}
}

func ordersPolicies(t testing.TB) cedarPolicies {
	t.Helper()
	b, err := os.ReadFile("testdata/policies/orders.cedar")
	if err != nil {
		t.Fatal(err)
	}
	return loadPolicies(t, string(b))
}

func ordersManifest(t testing.TB) *manifest.Manifest {
	t.Helper()
	m, err := manifest.Load("testdata/orders.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var testTime = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func testConfig(t testing.TB, pol Policies) Config {
	return Config{
		Identifier: fakeIdentifier{},
		Policies:   pol,
		Manifest:   ordersManifest(t),
		Signals:    []Signal{{Name: "risk", From: FromHeader, Key: "X-Risk-Score", Type: TypeLong}},
		Clock:      func() time.Time { return testTime },
	}
}

func newTestEngine(t testing.TB, pol Policies) *Engine {
	t.Helper()
	e, err := NewEngine(testConfig(t, pol))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

const (
	frontend = "spiffe://example.org/ns/shop/sa/frontend"
	billing  = "spiffe://example.org/ns/shop/sa/billing"
)

func req(principal, method, path string) *Request {
	return &Request{
		Method: method, Path: path, Host: "orders.example.org", Scheme: "https",
		Headers:       map[string]string{},
		Credentials:   identity.Credentials{SourcePrincipal: principal},
		TLS:           true,
		ContentLength: -1,
	}
}

// VerifyAsserted checks an asserted subject with identity's real rule,
// trusting example.org and partner.org.
func (fakeIdentifier) VerifyAsserted(id string, src identity.Source) (identity.Identity, error) {
	return assertedVerifier.VerifyAsserted(id, src)
}

var assertedVerifier = func() *identity.Verifier {
	v, err := identity.NewVerifier(identity.Config{TrustSourcePrincipal: true, TrustDomains: []spiffeid.TrustDomain{
		spiffeid.RequireTrustDomainFromString("example.org"), spiffeid.RequireTrustDomainFromString("partner.org")}})
	if err != nil {
		panic(err)
	}
	return v
}()

// readFixture reads a test fixture; the manifests shared with package
// manifest's tests live in manifest/testdata.
func readFixture(p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		panic(err)
	}
	return string(b)
}
