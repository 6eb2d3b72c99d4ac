package delegation

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// The draft has no maintained token service implementation to run, so a
// test issuer on loopback stands in for it: it serves OIDC discovery and
// its JWKS over HTTP (Tollgate fetches them as from a real service) and
// signs Txn-Tokens with its key.
const txnConfig = `
listen: { grpc: "{{GRPC}}", admin: "{{ADMIN}}" }
identity:
  trust_domains: [example.org]
  bundles:
    - trust_domain: example.org
      x509_pem: bundle.pem
  delegation:
    txn_token:
      issuer: %s
      algorithms: [ES256]
      max_lifetime: 2m
      bind: chain
      context_txn_id: true
      context_scope: true
      tctx_claims: [action]
policy: { dir: policies, reload_interval: 100ms, require_schema: true }
manifests: [manifest.yaml]
log: { decisions: stdout }
`

// A deploy must be the transaction's purpose.
const txnPolicy = `
@id("txn-deploy-scope")
forbid (principal, action == Action::"tools/deploy", resource)
when { context has txn_scope && !context.txn_scope.contains("tools.deploy") };
`

const (
	gatewayID = "spiffe://example.org/ns/edge/sa/gateway"
	agentID   = "spiffe://example.org/ns/ai/sa/agent"
)

func TestTxnTokenWithRealBinary(t *testing.T) {
	tts, forger := testca.NewIssuer(t), testca.NewIssuer(t)
	ca := testca.New(t, "example.org")
	dir := t.TempDir()
	harness.WriteFile(t, dir, "bundle.pem", ca.X509BundlePEM())
	harness.CopyDir(t, "../../examples/delegation/policies", filepath.Join(dir, "policies"))
	harness.WriteFile(t, dir, "policies/entities.json", []byte(entities))
	harness.WriteFile(t, dir, "policies/txn.cedar", []byte(txnPolicy))
	manifest, err := os.ReadFile("../../examples/delegation/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "manifest.yaml", manifest)
	p := harness.Start(t, dir, fmt.Sprintf(txnConfig, tts.URL))
	p.WaitReady()

	svid := func(name string) harness.ReqOpt {
		return harness.WithCert(ca.NewX509SVID("/ns/ai/sa/" + name).EnvoyLeaf())
	}
	now := time.Now()
	// The gateway requested the token; the agent obtained a replacement,
	// so the token service appended it to req_wl.
	txn := func(is *testca.Issuer, c map[string]any) string {
		base := map[string]any{"iss": tts.URL, "aud": "example.org", "txn": "txn-e2e-1", "sub": "id1",
			"scope": "tools.deploy", "req_wl": gatewayID + "," + agentID, "tctx": map[string]any{"action": "deploy"}}
		for k, v := range c {
			base[k] = v
		}
		return is.TxnToken(base)
	}
	cases := []struct {
		name, caller, token, code string
		subject                   string
		chain                     []string
	}{
		{"agent for id1 (sre)", "agent", txn(tts, nil), "permit", `User::"id1"`, []string{agentID, gatewayID}},
		{"agent for id2 (sales)", "agent", txn(tts, map[string]any{"sub": "id2"}), "no_permit", `User::"id2"`, []string{agentID, gatewayID}},
		{"scope is not deploy", "agent", txn(tts, map[string]any{"scope": "tools.status"}), "forbid", `User::"id1"`, []string{agentID, gatewayID}},
		{"replayed by another workload", "summarizer", txn(tts, nil), "delegation_unbound", "", nil},
		{"expired", "agent", txn(tts, map[string]any{"iat": now.Add(-2 * time.Minute).Unix(), "exp": now.Add(-time.Minute).Unix()}), "delegation_expired", "", nil},
		{"lifetime over max_lifetime", "agent", txn(tts, map[string]any{"exp": now.Add(10 * time.Minute).Unix()}), "delegation_lifetime", "", nil},
		{"wrong audience", "agent", txn(tts, map[string]any{"aud": "other.org"}), "delegation_audience", "", nil},
		{"wrong typ", "agent", tts.TokenWithType("at+jwt", map[string]any{"aud": "example.org", "txn": "t", "sub": "id1", "scope": "tools.deploy",
			"req_wl": agentID, "exp": now.Add(time.Minute).Unix()}), "delegation_invalid", "", nil},
		{"bad signature", "agent", txn(forger, nil), "delegation_invalid", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := p.Check(harness.NewCheck("POST", "/tools/deploy", svid(tc.caller), harness.WithHeader("txn-token", tc.token)))
			v := harness.Summarise(resp)
			if v.Code != tc.code || v.Allow != (tc.code == "permit") {
				t.Fatalf("code %q allow %v, want %q", v.Code, v.Allow, tc.code)
			}
			md := resp.GetDynamicMetadata().GetFields()
			var chain []string
			for _, a := range md["delegation"].GetListValue().GetValues() {
				chain = append(chain, a.GetStringValue())
			}
			if md["subject"].GetStringValue() != tc.subject || strings.Join(chain, ",") != strings.Join(tc.chain, ",") {
				t.Fatalf("metadata subject %q chain %v, want %q %v", md["subject"].GetStringValue(), chain, tc.subject, tc.chain)
			}
			if tc.subject != "" && md["txn"].GetStringValue() != "txn-e2e-1" {
				t.Fatalf("metadata txn %q", md["txn"].GetStringValue())
			}
			if strings.Contains(p.Stdout.String(), tc.token[strings.LastIndex(tc.token, ".")+1:]) {
				t.Fatal("the decision log holds the token")
			}
		})
	}
	if !strings.Contains(p.Stdout.String(), `"txn":"txn-e2e-1"`) {
		t.Fatalf("the decision log lacks the txn id:\n%s", p.Stdout.String())
	}
	m := p.Metrics()
	for _, code := range []string{"delegation_unbound", "delegation_expired", "delegation_lifetime", "delegation_audience", "delegation_invalid"} {
		if !strings.Contains(m, `code="`+code+`"`) {
			t.Fatalf("%s is not counted:\n%s", code, m)
		}
	}
}
