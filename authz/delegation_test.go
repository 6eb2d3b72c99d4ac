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

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/internal/jsonw"
	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/policy"
)

const (
	aiAgent   = "spiffe://example.org/ns/ai/sa/agent"
	agent2    = "spiffe://example.org/ns/ai/sa/agent2"
	userHdr   = "x-user-token"
	delegPols = `
@id("read-for-sre")
permit (principal, action == Action::"ReadOrder", resource)
when { context has on_behalf_of && context.on_behalf_of in Group::"sre" && context.delegation_length <= 2 };

@id("list-without-user")
permit (principal, action == Action::"ListOrders", resource)
when { !(context has on_behalf_of) };
`
	delegEntities = `[
 {"uid":{"type":"User","id":"alice"},"parents":[{"type":"Group","id":"sre"}],"attrs":{}},
 {"uid":{"type":"User","id":"bob"},"parents":[{"type":"Group","id":"sales"}],"attrs":{}},
 {"uid":{"type":"Group","id":"sre"},"parents":[],"attrs":{}},
 {"uid":{"type":"Group","id":"sales"},"parents":[],"attrs":{}},
 {"uid":{"type":"Workload","id":"spiffe://example.org/ns/ai/sa/agent"},"parents":[],"attrs":{"client_ids":["agent-client"]}}
]`
)

func delegationEngine(t *testing.T, logTo ...io.Writer) (*Engine, *testca.Issuer) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{"deleg.cedar": delegPols, "entities.json": delegEntities} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := policy.LoadDir(dir, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	is := testca.NewIssuer(t)
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{
		{URL: is.URL, Audiences: []string{"tollgate"}, Algs: []string{"ES256"}}}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, snap)
	cfg.Delegation = &Delegation{Header: userHdr, Verifier: v, Claims: []string{"email", "acr"},
		Bind: []subject.Claim{subject.BindAct, subject.BindAZP, subject.BindClientID}, LogClaims: []string{"acr"}}
	if len(logTo) > 0 {
		cfg.DecisionLog = slog.New(jsonw.NewHandler(logTo[0], nil))
	}
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e, is
}

func TestDelegation(t *testing.T) {
	e, is := delegationEngine(t)
	tok := func(c map[string]any) string {
		c["aud"] = "tollgate"
		return is.Token(c)
	}
	cases := []struct {
		name, caller, path, token string
		code                      string
		subject                   string
		chain                     []string
	}{
		{"user in group, bound by azp", aiAgent, "/orders/1", tok(map[string]any{"sub": "alice", "azp": aiAgent}), "permit", `User::"alice"`, nil},
		{"bound by mapped client id", aiAgent, "/orders/1", tok(map[string]any{"sub": "alice", "client_id": "agent-client"}), "permit", `User::"alice"`, nil},
		{"user in another group", aiAgent, "/orders/1", tok(map[string]any{"sub": "bob", "azp": aiAgent}), "no_permit", `User::"bob"`, nil},
		{"stolen by another workload", agent2, "/orders/1", tok(map[string]any{"sub": "alice", "azp": aiAgent}), "delegation_unbound", "", nil},
		{"mapped client id of another workload", agent2, "/orders/1", tok(map[string]any{"sub": "alice", "client_id": "agent-client"}), "delegation_unbound", "", nil},
		{"no binding claim", aiAgent, "/orders/1", tok(map[string]any{"sub": "alice"}), "delegation_unbound", "", nil},
		{"two-hop act chain", aiAgent, "/orders/1", tok(map[string]any{"sub": "alice", "act": map[string]any{"sub": aiAgent, "act": map[string]any{"sub": "spiffe://example.org/ns/ai/sa/planner"}}}),
			"permit", `User::"alice"`, []string{aiAgent, "spiffe://example.org/ns/ai/sa/planner"}},
		{"act chain names caller only inside", aiAgent, "/orders/1", tok(map[string]any{"sub": "alice", "act": map[string]any{"sub": "spiffe://example.org/x", "act": map[string]any{"sub": aiAgent}}}), "delegation_unbound", "", nil},
		{"three-hop chain too long for policy", aiAgent, "/orders/1", tok(map[string]any{"sub": "alice", "act": map[string]any{"sub": aiAgent, "act": map[string]any{"sub": "b", "act": map[string]any{"sub": "c"}}}}),
			"no_permit", `User::"alice"`, []string{aiAgent, "b", "c"}},
		{"expired", aiAgent, "/orders/1", tok(map[string]any{"sub": "alice", "azp": aiAgent, "exp": time.Now().Add(-time.Hour).Unix()}), "delegation_expired", "", nil},
		{"wrong audience", aiAgent, "/orders/1", is.Token(map[string]any{"sub": "alice", "azp": aiAgent, "aud": "other"}), "delegation_audience", "", nil},
		{"wrong issuer", aiAgent, "/orders/1", tok(map[string]any{"sub": "alice", "azp": aiAgent, "iss": "https://evil.example"}), "delegation_issuer", "", nil},
		{"garbage", aiAgent, "/orders/1", "not-a-token", "delegation_invalid", "", nil},
		{"present but empty is not absent", aiAgent, "/orders", "", "delegation_invalid", "", nil},
		{"absent: no on_behalf_of", aiAgent, "/orders", "-", "permit", "", nil},
		{"present token is not absent", aiAgent, "/orders", tok(map[string]any{"sub": "alice", "azp": aiAgent}), "no_permit", `User::"alice"`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := req(tc.caller, "GET", tc.path)
			if tc.token != "-" {
				r.Headers[userHdr] = tc.token
			}
			d := e.Check(context.Background(), r)
			if d.Code.String() != tc.code {
				t.Fatalf("code %q (%s), want %q", d.Code, d.Detail, tc.code)
			}
			if d.Subject != tc.subject || !slices.Equal(d.Delegation, tc.chain) {
				t.Fatalf("subject %q chain %v, want %q %v", d.Subject, d.Delegation, tc.subject, tc.chain)
			}
		})
	}
}

func TestDelegationShape(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"deleg.cedar": delegPols, "entities.json": delegEntities} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := policy.LoadDir(dir, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	with := PolicyCheck{Manifest: ordersManifest(t), Delegation: &DelegationContext{Claims: []string{"email"}}}
	if err := CheckPolicies(snap, with); err != nil {
		t.Fatalf("with delegation: %v", err)
	}
	if err := CheckPolicies(snap, PolicyCheck{Manifest: ordersManifest(t)}); err == nil {
		t.Fatal("without delegation, on_behalf_of is never produced: want an error")
	}
}

// The decision log names the subject and the chain, and the claims marked
// safe to log; never the token or other claims.
func TestDelegationLog(t *testing.T) {
	var buf bytes.Buffer
	e, is := delegationEngine(t, &buf)
	tok := is.Token(map[string]any{"sub": "alice", "aud": "tollgate", "email": "alice@example.org", "acr": "mfa",
		"act": map[string]any{"sub": aiAgent, "act": map[string]any{"sub": "spiffe://example.org/planner"}}})
	r := req(aiAgent, "GET", "/orders/1")
	r.Headers[userHdr] = tok
	if d := e.Check(context.Background(), r); d.Code.String() != "permit" {
		t.Fatalf("code %q", d.Code)
	}
	bad := req(aiAgent, "GET", "/orders/1")
	bad.Headers[userHdr] = tok[:len(tok)-4] + "AAAA"
	if d := e.Check(context.Background(), bad); d.Code.String() != "delegation_invalid" {
		t.Fatalf("tampered token: code %q", d.Code)
	}
	out := buf.String()
	for _, want := range []string{`"subject":"User::\"alice\""`, `"delegation":["` + aiAgent + `","spiffe://example.org/planner"]`, `"subject_claims":{"acr":"mfa"}`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	for _, leak := range []string{tok[:20], tok[len(tok)-20:], "alice@example.org"} {
		if strings.Contains(out, leak) {
			t.Errorf("log leaks %q", leak)
		}
	}
}

// MCP tool calls see the subject too: the per-message Cedar requests carry
// on_behalf_of, and the subject entity's groups come from IAM's data.
func TestDelegationMCP(t *testing.T) {
	dir := t.TempDir()
	pols := `@id("search-for-sre") permit (principal, action == Action::"github.search_issues", resource)
when { context has on_behalf_of && context.on_behalf_of in Group::"sre" };`
	for name, text := range map[string]string{"p.cedar": pols, "entities.json": delegEntities} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := policy.LoadDir(dir, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Load("testdata/mcp.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	is := testca.NewIssuer(t)
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{{URL: is.URL, Audiences: []string{"tollgate"}, Algs: []string{"ES256"}}}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(Config{Identifier: fakeIdentifier{}, Policies: snap, Manifest: m, Clock: func() time.Time { return testTime },
		Delegation: &Delegation{Header: userHdr, Verifier: v, Bind: []subject.Claim{subject.BindAZP}}})
	if err != nil {
		t.Fatal(err)
	}
	for user, code := range map[string]string{"alice": "permit", "bob": "no_permit", "": "no_permit"} {
		r := mcpReq("/mcp", call(1, "search_issues", `{}`))
		if user != "" {
			r.Headers[userHdr] = is.Token(map[string]any{"sub": user, "aud": "tollgate", "azp": aiAgent})
		}
		if d := e.Check(context.Background(), r); d.Code.String() != code {
			t.Errorf("user %q: code %q (%s), want %q", user, d.Code, d.Detail, code)
		}
	}
}

func TestDelegationConfigRefused(t *testing.T) {
	v := &subject.Verifier{}
	bind := []subject.Claim{subject.BindAZP}
	for name, d := range map[string]*Delegation{
		"no header":        {Verifier: v, Bind: bind},
		"no verifier":      {Header: userHdr, Bind: bind},
		"no binding":       {Header: userHdr, Verifier: v},
		"subject Workload": {Header: userHdr, Verifier: v, Bind: bind, EntityType: WorkloadType},
	} {
		cfg := testConfig(t, ordersPolicies(t))
		cfg.Delegation = d
		if _, err := NewEngine(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// A signal must not stand in for the subject: a header signal named
// on_behalf_of would let the client name its own user when no token is
// sent. The delegation context keys are reserved whether delegation is on
// or not.
func TestDelegationKeysAreReserved(t *testing.T) {
	for _, name := range []string{"on_behalf_of", "delegation", "delegation_length", "subject"} {
		cfg := testConfig(t, ordersPolicies(t))
		cfg.Signals = []Signal{{Name: name, From: FromHeader, Key: "x-" + name, Type: TypeString}}
		if _, err := NewEngine(cfg); err == nil {
			t.Errorf("signal %q accepted", name)
		}
	}
}
