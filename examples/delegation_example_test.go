package examples_test

import (
	"context"
	"testing"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/policy"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// spiffeIdentifier trusts Credentials.SourcePrincipal (the example's
// identity checks are not what is under test here).
type spiffeIdentifier struct{}

func (spiffeIdentifier) Verify(_ context.Context, c identity.Credentials) (identity.Identity, error) {
	id, err := spiffeid.FromString(c.SourcePrincipal)
	return identity.Identity{ID: id, Source: identity.SourcePrincipal}, err
}

// TestDelegationExample loads examples/delegation as serve does (config,
// manifest, policies, schema, entity data), checks the policies against
// the context Tollgate builds, and decides the README's requests with the
// example's delegation settings and a test issuer in place of the IdP.
func TestDelegationExample(t *testing.T) {
	cfg, err := config.Load("delegation/tollgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Identity.Delegation
	m, err := manifest.LoadAll(cfg.Manifests...)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := policy.LoadDir(cfg.Policy.Dir, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dc := &authz.DelegationContext{EntityType: types.EntityType(d.EntityType), Claims: d.Claims}
	if err := authz.CheckPolicies(snap, authz.PolicyCheck{Manifest: m, Delegation: dc, RequireSchema: true}); err != nil {
		t.Fatal(err)
	}
	if err := authz.CheckPolicies(snap, authz.PolicyCheck{Manifest: m}); err == nil {
		t.Fatal("without delegation the policies read what is never produced: want an error")
	}

	is := testca.NewIssuer(t)
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{{URL: is.URL, Audiences: d.Issuers[0].Audiences, Algs: d.Issuers[0].Algorithms, Types: d.Issuers[0].TokenTypes}}})
	if err != nil {
		t.Fatal(err)
	}
	var bind []subject.Claim
	for _, b := range d.Bind {
		c, _ := subject.ParseClaim(b)
		bind = append(bind, c)
	}
	e, err := authz.NewEngine(authz.Config{Identifier: spiffeIdentifier{}, Policies: snap, Manifest: m,
		Delegation: &authz.Delegation{Header: d.Header, Verifier: v, Bind: bind, Claims: d.Claims,
			EntityType: types.EntityType(d.EntityType), ClientIDsAttribute: d.ClientIDsAttribute}})
	if err != nil {
		t.Fatal(err)
	}
	const agent, summarizer = "spiffe://example.org/ns/ai/sa/agent", "spiffe://example.org/ns/ai/sa/summarizer"
	tok := func(c map[string]any) string { c["aud"] = "agent-tools"; return is.Token(c) }
	chain := func(actors ...string) map[string]any {
		var act map[string]any
		for i := len(actors) - 1; i >= 0; i-- {
			a := map[string]any{"sub": actors[i]}
			if act != nil {
				a["act"] = act
			}
			act = a
		}
		return act
	}
	for _, tc := range []struct {
		name, caller, method, path, token, code string
	}{
		{"agent for an SRE", agent, "POST", "/tools/deploy", tok(map[string]any{"sub": "alice", "client_id": "agent-client"}), "permit"},
		{"agent for sales", agent, "POST", "/tools/deploy", tok(map[string]any{"sub": "bob", "client_id": "agent-client"}), "no_permit"},
		{"agent without a user", agent, "POST", "/tools/deploy", "", "no_permit"},
		{"another agent with the token", summarizer, "POST", "/tools/deploy", tok(map[string]any{"sub": "alice", "client_id": "agent-client"}), "delegation_unbound"},
		{"two hops", agent, "POST", "/tools/deploy", tok(map[string]any{"sub": "alice", "act": chain(agent, "spiffe://example.org/ns/ai/sa/planner")}), "permit"},
		{"three hops", agent, "POST", "/tools/deploy", tok(map[string]any{"sub": "alice", "act": chain(agent, "a", "b")}), "no_permit"},
		{"four hops: forbidden everywhere", agent, "GET", "/tools/status", tok(map[string]any{"sub": "alice", "act": chain(agent, "a", "b", "c")}), "forbid"},
		{"status needs no user", agent, "GET", "/tools/status", "", "permit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &authz.Request{Method: tc.method, Path: tc.path, Host: "tools", Scheme: "https", TLS: true,
				Headers: map[string]string{}, ContentLength: -1, Credentials: identity.Credentials{SourcePrincipal: tc.caller}}
			if tc.token != "" {
				r.Headers["x-user-token"] = tc.token
			}
			if got := e.Check(context.Background(), r); got.Code.String() != tc.code {
				t.Fatalf("code %q (%s), want %q", got.Code, got.Detail, tc.code)
			}
		})
	}
}
