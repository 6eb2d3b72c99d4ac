package delegation

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

const tollgateConfig = `
listen: { grpc: "{{GRPC}}", admin: "{{ADMIN}}" }
identity:
  trust_domains: [example.org]
  bundles:
    - trust_domain: example.org
      x509_pem: bundle.pem
  delegation:
    header: x-user-token
    issuers:
      - issuer: %s
        audiences: [agent-client, expired-client, tools]
        algorithms: [RS256]
    bind: [act, azp, client_id]
    claims: [email]
policy: { dir: policies, reload_interval: 100ms, require_schema: true }
manifests: [manifest.yaml]
log: { decisions: stdout }
`

// The example's users: id1 (test-user@127.0.0.1) is in sre, id2
// (test-user2) in sales. Each workload's OAuth client ids are IAM's data.
const entities = `[
 {"uid":{"type":"Workload","id":"spiffe://example.org/ns/ai/sa/agent"},"parents":[{"type":"Team","id":"agents"}],"attrs":{"client_ids":["agent-client"]}},
 {"uid":{"type":"Workload","id":"spiffe://example.org/ns/ai/sa/planner"},"parents":[{"type":"Team","id":"agents"}],"attrs":{"client_ids":["planner-client"]}},
 {"uid":{"type":"Workload","id":"spiffe://example.org/ns/ai/sa/summarizer"},"parents":[{"type":"Team","id":"agents"}],"attrs":{"client_ids":["summarizer-client"]}},
 {"uid":{"type":"Team","id":"agents"},"parents":[],"attrs":{}},
 {"uid":{"type":"User","id":"id1"},"parents":[{"type":"Group","id":"sre"}],"attrs":{}},
 {"uid":{"type":"User","id":"id2"},"parents":[{"type":"Group","id":"sales"}],"attrs":{}},
 {"uid":{"type":"Group","id":"sre"},"parents":[],"attrs":{}},
 {"uid":{"type":"Group","id":"sales"},"parents":[],"attrs":{}}
]`

func TestDelegationWithRealOP(t *testing.T) {
	clients := []string{"agent-client", "planner-client", "summarizer-client", "other-client", "expired-client"}
	idp := startProvider(t, clients...)
	stranger := startProvider(t, clients...) // a real OP Tollgate does not trust
	ca := testca.New(t, "example.org")
	dir := t.TempDir()
	harness.WriteFile(t, dir, "bundle.pem", ca.X509BundlePEM())
	// The example's policies, schema and manifest; entity data for the OP's users.
	harness.CopyDir(t, "../../examples/delegation/policies", filepath.Join(dir, "policies"))
	harness.WriteFile(t, dir, "policies/entities.json", []byte(entities))
	manifest, err := os.ReadFile("../../examples/delegation/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "manifest.yaml", manifest)
	p := harness.Start(t, dir, fmt.Sprintf(tollgateConfig, idp.URL))
	p.WaitReady()

	svid := func(name string) harness.ReqOpt {
		return harness.WithCert(ca.NewX509SVID("/ns/ai/sa/" + name).EnvoyLeaf())
	}
	alice := idp.userToken(t, "agent-client", "test-user@127.0.0.1")
	bob := idp.userToken(t, "agent-client", "test-user2")
	// alice signs in to the planner, which hands her token on to the agent
	// by token exchange: act = {sub: agent-client, act: {sub: planner-client}}.
	viaPlanner := idp.exchange(t, "planner-client", idp.userToken(t, "planner-client", "test-user@127.0.0.1"))
	twoHops := idp.exchange(t, "agent-client", viaPlanner)

	cases := []struct {
		name, caller, token, code string
		allow                     bool
		subject                   string
		chain                     []string
	}{
		{"agent for alice (sre)", "agent", alice, "permit", true, `User::"id1"`, nil},
		{"agent for bob (sales)", "agent", bob, "no_permit", false, `User::"id2"`, nil},
		{"alice's token from another workload", "summarizer", alice, "delegation_unbound", false, "", nil},
		{"expired", "agent", idp.userToken(t, "expired-client", "test-user@127.0.0.1"), "delegation_expired", false, "", nil},
		{"wrong issuer", "agent", stranger.userToken(t, "agent-client", "test-user@127.0.0.1"), "delegation_issuer", false, "", nil},
		{"wrong audience", "agent", idp.userToken(t, "other-client", "test-user@127.0.0.1"), "delegation_audience", false, "", nil},
		{"two-hop act chain", "agent", twoHops, "permit", true, `User::"id1"`, []string{"agent-client", "planner-client"}},
		{"two-hop token from the planner", "planner", twoHops, "delegation_unbound", false, "", nil},
		{"one hop, presented by the planner", "planner", viaPlanner, "permit", true, `User::"id1"`, []string{"planner-client"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := p.Check(harness.NewCheck("POST", "/tools/deploy", svid(tc.caller), harness.WithHeader("x-user-token", tc.token)))
			v := harness.Summarise(resp)
			if v.Code != tc.code || v.Allow != tc.allow {
				t.Fatalf("code %q allow %v, want %q %v", v.Code, v.Allow, tc.code, tc.allow)
			}
			md := resp.GetDynamicMetadata().GetFields()
			if got := md["subject"].GetStringValue(); got != tc.subject {
				t.Fatalf("metadata subject %q, want %q", got, tc.subject)
			}
			var chain []string
			for _, a := range md["delegation"].GetListValue().GetValues() {
				chain = append(chain, a.GetStringValue())
			}
			if strings.Join(chain, ",") != strings.Join(tc.chain, ",") {
				t.Fatalf("metadata chain %v, want %v", chain, tc.chain)
			}
			if strings.Contains(p.Stdout.String(), tc.token[strings.LastIndex(tc.token, ".")+1:]) {
				t.Fatal("the decision log holds the token")
			}
		})
	}
	// No token: the agent acts on its own, which the deploy policy does not allow.
	if v := harness.Summarise(p.Check(harness.NewCheck("POST", "/tools/deploy", svid("agent")))); v.Code != "no_permit" {
		t.Fatalf("no token: %q", v.Code)
	}
	// The header spelled with underscores, which CGI-style upstreams read
	// as x-user-token, is refused rather than taken for "no user".
	for _, h := range []string{"x_user_token", "X_User-Token"} {
		if v := harness.Summarise(p.Check(harness.NewCheck("POST", "/tools/deploy", svid("agent"), harness.WithHeader(h, alice)))); v.Code != "delegation_invalid" {
			t.Fatalf("%s: %q", h, v.Code)
		}
	}
	if m := p.Metrics(); !strings.Contains(m, `code="delegation_unbound"`) || !strings.Contains(m, `code="delegation_expired"`) {
		t.Fatalf("refusals are not counted by reason:\n%s", m)
	}
}
