package e2e

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// spireReplace moves the SPIRE state of the examples that run SPIRE into
// the test's own directory and its server onto a free port.
func spireReplace(t *testing.T) []string { return spireReplaceAt(t, t.TempDir()+"/spire") }

// spireReplaceAt is spireReplace with the state in dir.
func spireReplaceAt(t *testing.T, dir string) []string {
	addr := harness.FreeAddr(t)
	port := addr[strings.LastIndex(addr, ":")+1:]
	return []string{"/tmp/tollgate-spire", dir, strconv.Quote("8081"), strconv.Quote(port)}
}

// TestNginxREADMEAsWritten runs examples/nginx/README.md's commands: real
// SPIRE issues the JWT-SVID, Tollgate reads SPIRE's SPIFFE bundle, nginx
// asks Tollgate, and the tool server answers an allowed request.
func TestNginxREADMEAsWritten(t *testing.T) {
	out := readmeRun{example: "nginx", sections: []string{"## Run it"},
		tools:   []string{"spire-server", "spire-agent", "nginx", "curl"},
		addrs:   []string{"127.0.0.1:8480", "127.0.0.1:9691", "127.0.0.1:9692", "127.0.0.1:9693", "127.0.0.1:9600"},
		replace: spireReplace(t), timeout: 90 * time.Second}.run(t)
	wantInOrder(t, out,
		"HTTP/1.1 200", `ok: tool server reached by "spiffe://example.org/ns/agents/sa/research-agent"`,
		"HTTP/1.1 403", `"decision_id"`,
		"HTTP/1.1 401")
}

// TestCaddyREADMEAsWritten runs examples/caddy/README.md's commands.
func TestCaddyREADMEAsWritten(t *testing.T) {
	out := readmeRun{example: "caddy", sections: []string{"## Run it"},
		tools:   []string{"spire-server", "spire-agent", "caddy", "curl"},
		addrs:   []string{"127.0.0.1:8482", "127.0.0.1:9791", "127.0.0.1:9792", "127.0.0.1:9793", "127.0.0.1:9700"},
		replace: spireReplace(t), timeout: 90 * time.Second}.run(t)
	wantInOrder(t, out,
		"HTTP/1.1 200", `ok: tool server reached by "spiffe://example.org/ns/agents/sa/research-agent"`,
		"HTTP/1.1 403", `"decision_id"`)
}

// TestEnvoyREADMEAsWritten runs examples/envoy/README.md's commands: its
// own tollgate.yaml verifies the demo X.509-SVID sent as Envoy's
// source.certificate, and refuses a bare claimed SPIFFE ID.
func TestEnvoyREADMEAsWritten(t *testing.T) {
	out := readmeRun{example: "envoy", sections: []string{"## Run it"}, tools: []string{"curl"}, keepGoing: true,
		addrs: []string{"127.0.0.1:9891", "127.0.0.1:9892"}, timeout: 60 * time.Second}.run(t)
	wantInOrder(t, out,
		`ALLOW `, `principal=spiffe://example.org/ns/shop/sa/frontend action=Action::"ReadOrder"`,
		"DENY 403 ", "code=forbid", "policies=[refunds-only-in-prod]", "exit status 3",
		"DENY 401 ", "code=identity_missing", "exit status 3")
}

// TestQuickstartREADMEAsWritten runs the quickstart README's server (in the
// background, as "another terminal") and its check commands.
func TestQuickstartREADMEAsWritten(t *testing.T) {
	out := readmeRun{example: "quickstart", blocks: []int{0, 1}, keepGoing: true,
		background: map[int]string{0: "http://127.0.0.1:9192/readyz"}, tools: []string{"curl"},
		addrs: []string{"127.0.0.1:9191", "127.0.0.1:9192"}, timeout: 60 * time.Second}.run(t)
	wantInOrder(t, out,
		"ALLOW ", "policies=[storefront-reads-orders]",
		"DENY 403 ", "code=forbid", "policies=[refunds-only-in-prod]", "exit status 3",
		"ALLOW ", "policies=[payments-manages-orders]",
		"DENY 403 ", "policies=[deny-high-risk]", "exit status 3",
		`tollgate_decisions_total{`)
}

// TestMCPREADMEAsWritten runs examples/mcp/README.md's "Try it": the
// server in the background, then every check the README shows, with the
// decision each comment announces.
func TestMCPREADMEAsWritten(t *testing.T) {
	out := readmeRun{example: "mcp", sections: []string{"## Try it"}, keepGoing: true,
		background: map[int]string{0: "http://127.0.0.1:9592/readyz"}, tools: []string{"curl"},
		addrs: []string{"127.0.0.1:9591", "127.0.0.1:9592"}, timeout: 60 * time.Second}.run(t)
	wantInOrder(t, out,
		"ALLOW ", `action=Action::"github.search_issues"`, "policies=[research-agent-read-only-tools]",
		"ALLOW ", `action=Action::"github.create_issue"`, "policies=[research-agent-acme-issues]",
		"DENY 200 ", "code=no_permit", `"code":-32001`, "exit status 3",
		"DENY 200 ", "code=forbid", "batch element 1", "exit status 3",
		"DENY 200 ", "code=forbid", "policies=[destructive-tools-need-low-risk-cleanup]", "exit status 3",
		"ALLOW ", "policies=[cleanup-agent-deletes]")
}

// TestMCPGatewayREADMEAsWritten runs examples/mcp-gateway/README.md's
// validate, its server (in the background: Envoy itself is not installed
// here, its config is checked against Envoy's protos by examples/), and
// the pinning command.
func TestMCPGatewayREADMEAsWritten(t *testing.T) {
	out := readmeRun{example: "mcp-gateway", sections: []string{"## Try it", "## Pinning tool definitions"},
		background: map[int]string{1: "http://127.0.0.1:9992/readyz"}, tools: []string{"curl"},
		addrs: []string{"127.0.0.1:9991", "127.0.0.1:9992"}, timeout: 60 * time.Second}.run(t)
	wantInOrder(t, out, "ok: examples/mcp-gateway/policies", "4 policies", "policies checked against the context", "4 tools", "pins:", `"search_issues": sha256:8f94bc9b`)
}

// TestGovernanceREADMEAsWritten runs examples/governance/README.md's
// sections 1 to 4 as written: key generation, validate (a pass, and the
// mistake it shows), the suites, coverage, explain, CI, then a signed
// bundle published to a real static server and fetched by serve, and a
// 24-hour exception published as a new version.
func TestGovernanceREADMEAsWritten(t *testing.T) {
	bundles := t.TempDir()
	out := readmeRun{example: "governance", keepGoing: true, tools: []string{"python3", "curl"},
		sections: []string{"## 1. Validate", "## 2. Test", "## 3. Publish a signed bundle", "## 4. Grant a 24-hour exception"},
		// Block 7 is "python3 -m http.server … & tollgate serve": the second terminal waits for it.
		background: map[int]string{7: "http://127.0.0.1:9392/readyz"},
		addrs:      []string{"127.0.0.1:9391", "127.0.0.1:9392"},
		replace: append(serverPort(t, "8000"),
			"go build -o /tmp/tollgate ./cmd/tollgate", "true # built by the test",
			"/tmp/tollgate-bundles", bundles,
			"/tmp/tollgate ", "tollgate_run ",
			// bundle build's default --sequence is the build time in seconds: a person
			// never builds section 4's bundle within the second section 3's was built,
			// a script can (and would be refused as a replay).
			"echo 2025-01.2 >", "sleep 1; echo 2025-01.2 >",
		), timeout: 90 * time.Second}.run(t)
	wantInOrder(t, out,
		"ok: examples/governance/policies: version 2025-01.1 (sha256:", "3 policies, schema-valid",
		`policy @id("uses-unknown-attr")`, "FAIL: policies cmd/tollgate/testdata/wrong_attr: 1 problem(s)", "exit status 1",
		"--- PASS: orders/storefront reads an order", "PASS: 7 passed, 0 failed",
		"coverage: 3 policies, 0 never exercised, 0 permits and 0 forbids never determined a decision",
		"decision: DENY code=forbid", "forbid orders.cedar:14 @id(\"refunds-only-in-prod\") denied it",
		"ok: examples/governance/policies",
		`tollgate_policy_info{`, `version="2025-01.1"} 1`,
		"ALLOW ", "version=2025-01.1",
		"1 exception(s)",
		"ALLOW ", "policies=[analytics-break-glass]", "version=2025-01.2")
}

// serverPort moves a README's static server from port to a free one,
// in its URL (127.0.0.1:port) and on its command line (http.server port).
func serverPort(t *testing.T, port string) []string {
	free := harness.FreeAddr(t)
	return []string{"127.0.0.1:" + port, free, "http.server " + port, "http.server " + free[strings.LastIndex(free, ":")+1:]}
}

// TestObservabilityREADMEAsWritten runs the promtool commands of
// examples/observability/README.md from the repository root.
func TestObservabilityREADMEAsWritten(t *testing.T) {
	out := readmeRun{example: "observability", sections: []string{"## Try it"}, tools: []string{"promtool"},
		timeout: 60 * time.Second}.run(t)
	wantInOrder(t, out, "SUCCESS: ", " rules found", "Unit Testing:", "SUCCESS")
}

// TestDelegationREADMEAsWritten runs examples/delegation/README.md's
// validate; the go test command beside it is part of this suite already.
func TestDelegationREADMEAsWritten(t *testing.T) {
	out := readmeRun{example: "delegation", sections: []string{"## Try it"},
		replace: []string{"go test ./examples/ -run 'TestDelegationExample|TestEnvoyConfigs/delegation'", "true # go test ./examples/ runs it"},
		timeout: 60 * time.Second}.run(t)
	wantInOrder(t, out, "ok: examples/delegation/policies")
}

// TestSPIREREADMEAsWritten runs examples/spire/README.md's commands: real
// SPIRE server and agent, the entries register.sh creates (selected by
// the path of the binaries the README builds), Tollgate taking its bundles
// from the Workload API, and the workload checking with each carrier.
func TestSPIREREADMEAsWritten(t *testing.T) {
	state := t.TempDir() + "/spire"
	out := readmeRun{example: "spire", sections: []string{"## Run it"},
		tools: []string{"spire-server", "spire-agent", "curl"},
		addrs: []string{"127.0.0.1:9191", "127.0.0.1:9192"},
		replace: append([]string{
			// The binaries the entries select, built by the test instead.
			"go build -o /tmp/tollgate-spire/bin/tollgate ./cmd/tollgate", "cp " + harness.Binary + " " + state + "/bin/tollgate",
			"go build -o /tmp/tollgate-spire/bin/workload ./test/spire/workload", "cp " + buildWorkload(t) + " " + state + "/bin/workload",
		}, spireReplaceAt(t, state)...), timeout: 90 * time.Second}.run(t)
	for _, mode := range []string{"cert", "xfcc", "jwt"} {
		wantInOrder(t, out,
			`{"mode":"`+mode+`","method":"GET","path":"/orders/42","allow":true,"status":200,"code":"permit"`,
			`{"mode":"`+mode+`","method":"DELETE","path":"/orders/42","allow":false,"status":403,"code":"forbid"`)
	}
}

// buildWorkload builds test/spire/workload for the test.
func buildWorkload(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "workload")
	build := exec.Command("go", "build", "-o", bin, "github.com/tollgate-authz/tollgate/test/spire/workload")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the workload: %v\n%s", err, out)
	}
	return bin
}

// TestToolServerREADMEAsWritten runs examples/toolserver/README.md.
func TestToolServerREADMEAsWritten(t *testing.T) {
	out := readmeRun{example: "toolserver", sections: []string{"## Run it"}, tools: []string{"curl"},
		addrs: []string{"127.0.0.1:9300"}, timeout: 60 * time.Second}.run(t)
	wantInOrder(t, out, `ok: tool server reached by "spiffe://example.org/ns/agents/sa/research-agent"`)
}

// readmeTests are the examples whose README commands a test above runs;
// notRunnable the ones that need what no test machine has, and why.
var (
	readmeTests = []string{"caddy", "delegation", "envoy", "governance", "mcp", "mcp-gateway", "nginx", "observability",
		"quickstart", "spire", "toolserver"}
	notRunnable = map[string]string{
		"kubernetes": "needs a cluster with SPIRE; its files are checked by examples/ and deploy/helm/charttest",
		"istio":      "needs a cluster with Istio; its files are checked against Istio's protos by examples/",
	}
)

// TestEveryExampleREADMEIsRun: each example's README either has its
// commands run by a test here, or says why it cannot be.
func TestEveryExampleREADMEIsRun(t *testing.T) {
	readmes, err := filepath.Glob("../../examples/*/README.md")
	if err != nil || len(readmes) == 0 {
		t.Fatal("no example READMEs", err)
	}
	for _, r := range readmes {
		name := filepath.Base(filepath.Dir(r))
		if !slices.Contains(readmeTests, name) && notRunnable[name] == "" {
			t.Errorf("examples/%s/README.md: no test runs its commands (add one to readme_examples_test.go)", name)
		}
	}
}
