package authz

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/policy"
)

const (
	txnHdr   = "txn-token"
	gateway  = "spiffe://example.org/ns/edge/sa/gateway"
	txnExtra = `
@id("txn-scope")
forbid (principal, action, resource)
when { context has txn_scope && !context.txn_scope.contains("orders.read") };

@id("txn-quantity")
forbid (principal, action, resource)
when { context has tctx && context.tctx has quantity && context.tctx.quantity > 100 };
`
)

// txnEngine accepts subject tokens (x-user-token) and Txn-Tokens
// (txn-token) from two test issuers, with the given binding rule.
func txnEngine(t *testing.T, bind subject.TxnBinding, logTo ...io.Writer) (*Engine, *testca.Issuer, *testca.Issuer) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{"deleg.cedar": delegPols + txnExtra, "entities.json": delegEntities} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := policy.LoadDir(dir, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	idp, tts := testca.NewIssuer(t), testca.NewIssuer(t)
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{
		{URL: idp.URL, Audiences: []string{"tollgate"}, Algs: []string{"ES256"}}}})
	if err != nil {
		t.Fatal(err)
	}
	tv, err := subject.NewTxn(context.Background(), subject.TxnConfig{Issuer: tts.URL, Audience: "example.org", Algs: []string{"ES256"}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, snap)
	cfg.Delegation = &Delegation{Header: userHdr, Verifier: v, Bind: []subject.Claim{subject.BindAZP},
		Txn: &TxnDelegation{Verifier: tv, Bind: bind, TrustDomain: spiffeid.RequireTrustDomainFromString("example.org"),
			Context: TxnContext{ID: true, Scope: true, TCtx: []string{"quantity"}}}}
	if len(logTo) > 0 {
		cfg.DecisionLog = slog.New(NewJSONLineHandler(logTo[0], nil))
	}
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e, idp, tts
}

func txnToken(tts *testca.Issuer, c map[string]any) string {
	base := map[string]any{"aud": "example.org", "txn": "txn-1", "scope": "orders.read", "req_wl": gateway + "," + aiAgent}
	for k, v := range c {
		base[k] = v
	}
	return tts.TxnToken(base)
}

func TestTxnDelegation(t *testing.T) {
	e, idp, tts := txnEngine(t, subject.TxnBindChain)
	now := time.Now()
	cases := []struct {
		name, caller, token string
		code                string
		chain               []string
	}{
		{"user in group, caller requested a replacement", aiAgent, txnToken(tts, map[string]any{"sub": "alice"}), "permit", []string{aiAgent, gateway}},
		{"user in another group", aiAgent, txnToken(tts, map[string]any{"sub": "bob"}), "no_permit", []string{aiAgent, gateway}},
		{"caller is the first requester", gateway, txnToken(tts, map[string]any{"sub": "alice"}), "permit", []string{aiAgent, gateway}},
		{"mapped client id in req_wl", aiAgent, txnToken(tts, map[string]any{"sub": "alice", "req_wl": "agent-client"}), "permit", []string{"agent-client"}},
		{"replayed by another workload of the trust domain", agent2, txnToken(tts, map[string]any{"sub": "alice"}), "delegation_unbound", nil},
		{"caller of another trust domain", "spiffe://other.org/ns/ai/sa/agent", txnToken(tts, map[string]any{"sub": "alice", "req_wl": "spiffe://other.org/ns/ai/sa/agent"}), "delegation_unbound", nil},
		{"no req_wl", aiAgent, txnToken(tts, map[string]any{"sub": "alice", "req_wl": nil}), "delegation_unbound", nil},
		{"expired", aiAgent, txnToken(tts, map[string]any{"sub": "alice", "iat": now.Add(-2 * time.Minute).Unix(), "exp": now.Add(-time.Minute).Unix()}), "delegation_expired", nil},
		{"lifetime too long", aiAgent, txnToken(tts, map[string]any{"sub": "alice", "exp": now.Add(time.Hour).Unix()}), "delegation_lifetime", nil},
		{"wrong audience", aiAgent, txnToken(tts, map[string]any{"sub": "alice", "aud": "other.org"}), "delegation_audience", nil},
		{"wrong typ", aiAgent, tts.TokenWithType("at+jwt", map[string]any{"sub": "alice", "aud": "example.org", "txn": "t", "scope": "orders.read", "req_wl": aiAgent, "exp": now.Add(time.Minute).Unix()}), "delegation_invalid", nil},
		{"bad signature", aiAgent, txnToken(idp, map[string]any{"sub": "alice", "iss": tts.URL}), "delegation_invalid", nil},
		{"an OIDC access token in the txn header", aiAgent, idp.Token(map[string]any{"sub": "alice", "aud": "tollgate", "azp": aiAgent}), "delegation_invalid", nil},
		{"scope reaches the context", aiAgent, txnToken(tts, map[string]any{"sub": "alice", "scope": "orders.write"}), "forbid", []string{aiAgent, gateway}},
		{"tctx reaches the context typed", aiAgent, txnToken(tts, map[string]any{"sub": "alice", "tctx": map[string]any{"quantity": 500}}), "forbid", []string{aiAgent, gateway}},
		{"present but empty", aiAgent, "", "delegation_invalid", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := req(tc.caller, "GET", "/orders/1")
			r.Headers[txnHdr] = tc.token
			d := e.Check(context.Background(), r)
			if d.Code != tc.code {
				t.Fatalf("code %q (%s), want %q", d.Code, d.Reason, tc.code)
			}
			if !slices.Equal(d.Delegation, tc.chain) || (tc.chain != nil) != (d.Txn == "txn-1") {
				t.Fatalf("chain %v txn %q, want %v", d.Delegation, d.Txn, tc.chain)
			}
		})
	}
}

// A request carrying both a subject token and a Txn-Token is refused:
// neither silently wins.
func TestTxnAndSubjectTokenTogether(t *testing.T) {
	e, idp, tts := txnEngine(t, subject.TxnBindChain)
	r := req(aiAgent, "GET", "/orders/1")
	r.Headers[userHdr] = idp.Token(map[string]any{"sub": "alice", "aud": "tollgate", "azp": aiAgent})
	r.Headers[txnHdr] = txnToken(tts, map[string]any{"sub": "bob"})
	if d := e.Check(context.Background(), r); d.Code != "delegation_invalid" || d.Subject != "" {
		t.Fatalf("code %q subject %q", d.Code, d.Subject)
	}
}

// The binding rules, end to end through the engine.
func TestTxnBindingRules(t *testing.T) {
	cases := []struct {
		rule           subject.TxnBinding
		caller, req_wl string
		code           string
	}{
		{subject.TxnBindRequester, aiAgent, gateway + "," + aiAgent, "permit"},
		{subject.TxnBindRequester, gateway, gateway + "," + aiAgent, "delegation_unbound"},
		{subject.TxnBindChain, gateway, gateway + "," + aiAgent, "permit"},
		{subject.TxnBindTrustDomain, agent2, gateway, "permit"},
		{subject.TxnBindTrustDomain, "spiffe://other.org/x", gateway, "delegation_unbound"},
	}
	for _, tc := range cases {
		t.Run(string(tc.rule)+" "+tc.caller, func(t *testing.T) {
			e, _, tts := txnEngine(t, tc.rule)
			r := req(tc.caller, "GET", "/orders/1")
			r.Headers[txnHdr] = txnToken(tts, map[string]any{"sub": "alice", "req_wl": tc.req_wl})
			if d := e.Check(context.Background(), r); d.Code != tc.code {
				t.Fatalf("code %q (%s), want %q", d.Code, d.Reason, tc.code)
			}
		})
	}
}

// The decision log carries the txn id and the requesters, never the token
// or the tctx values.
func TestTxnDelegationLog(t *testing.T) {
	var buf bytes.Buffer
	e, _, tts := txnEngine(t, subject.TxnBindChain, &buf)
	tok := txnToken(tts, map[string]any{"sub": "alice", "tctx": map[string]any{"quantity": 7, "secret": "s3cr3t-value"}})
	r := req(aiAgent, "GET", "/orders/1")
	r.Headers[txnHdr] = tok
	if d := e.Check(context.Background(), r); d.Code != "permit" {
		t.Fatalf("code %q (%s)", d.Code, d.Reason)
	}
	out := buf.String()
	for _, want := range []string{`"txn":"txn-1"`, `"subject":"User::\"alice\""`, `"delegation":["` + aiAgent + `","` + gateway + `"]`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	for _, leak := range []string{tok[:20], tok[len(tok)-20:], "s3cr3t-value"} {
		if strings.Contains(out, leak) {
			t.Errorf("log leaks %q:\n%s", leak, out)
		}
	}
}

func TestTxnDelegationConfigRefused(t *testing.T) {
	tv := &subject.TxnVerifier{}
	td := spiffeid.RequireTrustDomainFromString("example.org")
	for name, d := range map[string]*Delegation{
		"no verifier":      {Txn: &TxnDelegation{Bind: subject.TxnBindChain, TrustDomain: td}},
		"no binding rule":  {Txn: &TxnDelegation{Verifier: tv, TrustDomain: td}},
		"unknown rule":     {Txn: &TxnDelegation{Verifier: tv, Bind: "anyone", TrustDomain: td}},
		"no trust domain":  {Txn: &TxnDelegation{Verifier: tv, Bind: subject.TxnBindChain}},
		"header clash":     {Header: "X-Tok", Verifier: &subject.Verifier{}, Bind: []subject.Claim{subject.BindAZP}, Txn: &TxnDelegation{Header: "x-tok", Verifier: tv, Bind: subject.TxnBindChain, TrustDomain: td}},
		"subject half-set": {Header: userHdr, Txn: &TxnDelegation{Verifier: tv, Bind: subject.TxnBindChain, TrustDomain: td}},
	} {
		cfg := testConfig(t, ordersPolicies(t))
		cfg.Delegation = d
		if _, err := NewEngine(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestTxnKeysAreReserved(t *testing.T) {
	for _, name := range []string{"txn_id", "txn_scope", "tctx"} {
		cfg := testConfig(t, ordersPolicies(t))
		cfg.Signals = []Signal{{Name: name, From: FromHeader, Key: "x-" + name, Type: TypeString}}
		if _, err := NewEngine(cfg); err == nil {
			t.Errorf("signal %q accepted", name)
		}
	}
}
