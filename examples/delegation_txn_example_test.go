package examples_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/internal/server"
	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/policy"
)

// TestDelegationTxnExample loads examples/delegation/tollgate-txn.yaml as
// serve does, checks the same policies against the context Txn-Tokens
// build, and decides the README's Txn-Token requests with the example's
// settings and a test token service in place of the real one.
func TestDelegationTxnExample(t *testing.T) {
	cfg, err := config.Load("delegation/tollgate-txn.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, x := cfg.Identity.Delegation, cfg.Identity.Delegation.TxnToken
	m, err := manifest.LoadAll(cfg.Manifests...)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := policy.LoadDir(cfg.Policy.Dir, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dc := server.DelegationContext(d)
	if err := authz.CheckPolicies(snap, authz.PolicyCheck{Manifest: m, Delegation: dc, RequireSchema: true}); err != nil {
		t.Fatal(err)
	}
	tts := testca.NewIssuer(t)
	v, err := subject.NewTxn(context.Background(), subject.TxnConfig{Issuer: tts.URL, Audience: x.Audience, Algs: x.Algorithms, MaxLifetime: x.MaxLifetime})
	if err != nil {
		t.Fatal(err)
	}
	bind, err := subject.ParseTxnBinding(x.Bind)
	if err != nil {
		t.Fatal(err)
	}
	e, err := authz.NewEngine(authz.Config{Identifier: spiffeIdentifier{}, Policies: snap, Manifest: m,
		Delegation: &authz.Delegation{EntityType: types.EntityType(d.EntityType), ClientIDsAttribute: d.ClientIDsAttribute,
			Txn: &authz.TxnDelegation{Header: x.Header, Verifier: v, Bind: bind, TrustDomain: spiffeid.RequireTrustDomainFromString(x.TrustDomain),
				Context: *dc.Txn}}})
	if err != nil {
		t.Fatal(err)
	}
	const agent, summarizer, gateway = "spiffe://example.org/ns/ai/sa/agent", "spiffe://example.org/ns/ai/sa/summarizer", "spiffe://example.org/ns/edge/sa/gateway"
	tok := func(sub string, reqWL ...string) string {
		return tts.TxnToken(map[string]any{"aud": x.Audience, "sub": sub, "txn": "t-1", "scope": "tools.deploy", "req_wl": strings.Join(reqWL, ",")})
	}
	for _, tc := range []struct {
		name, caller, method, path, token, code string
	}{
		{"agent for an SRE", agent, "POST", "/tools/deploy", tok("alice", gateway, agent), "permit"},
		{"agent for sales", agent, "POST", "/tools/deploy", tok("bob", gateway, agent), "no_permit"},
		{"another agent with the token", summarizer, "POST", "/tools/deploy", tok("alice", gateway, agent), "delegation_unbound"},
		{"three requesters: too long for deploy", agent, "POST", "/tools/deploy", tok("alice", gateway, "spiffe://example.org/ns/ai/sa/planner", agent), "no_permit"},
		{"four requesters: forbidden everywhere", agent, "GET", "/tools/status", tok("alice", gateway, "a", "b", agent), "forbid"},
		{"expired", agent, "POST", "/tools/deploy", tts.TxnToken(map[string]any{"aud": x.Audience, "sub": "alice", "txn": "t", "scope": "s", "req_wl": agent,
			"iat": time.Now().Add(-2 * time.Minute).Unix(), "exp": time.Now().Add(-time.Minute).Unix()}), "delegation_expired"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &authz.Request{Method: tc.method, Path: tc.path, Host: "tools", Scheme: "https", TLS: true,
				Headers: map[string]string{"txn-token": tc.token}, ContentLength: -1, Credentials: identity.Credentials{SourcePrincipal: tc.caller}}
			if got := e.Check(context.Background(), r); got.Code.String() != tc.code {
				t.Fatalf("code %q (%s), want %q", got.Code, got.Detail, tc.code)
			}
		})
	}
}
