package governance

import (
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// TestGovernanceWalkthroughAsWritten runs section 6 of
// examples/governance/README.md block by block, as written (on free ports,
// in a temporary tree), against the real registry and two real Tollgates,
// and checks what each step says it shows. For step 7 it reads the policy
// hash gauge of both instances, during the rollout and after it, and
// checks that the drift alert the README quotes is the one in
// examples/observability/alerts.yml.
func TestGovernanceWalkthroughAsWritten(t *testing.T) {
	text, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	blocks := shellBlocks(t, string(text), walkSection)
	wantHeadings := []string{walkSection, "### Step 1. Shadow", "### Step 2. Replay a day's log", "### Step 3. Review access",
		"### Step 4. Sign", "### Step 5. Publish to the registry", "### Step 6. Roll out", "### Step 6. Roll out",
		"### Step 7. Watch the dashboard and the drift alert", "### Step 7. Watch the dashboard and the drift alert"}
	if len(blocks) != len(wantHeadings) {
		t.Fatalf("section 6 has %d sh blocks, want %d (one per step, two for the rollout)", len(blocks), len(wantHeadings))
	}
	drift := driftAlert(t, string(text))
	w := newWalkEnv(t)
	canary, prod := w.addr["127.0.0.1:9402"], w.addr["127.0.0.1:9412"]
	prom := harness.StartPrometheus(t, canary, prod)
	checks := []func(t *testing.T, out string){
		func(t *testing.T, out string) { // setup: 2025-01.1 on both tags, prod serving it
			wantIn(t, out, "pushed", "oci://"+w.addr["127.0.0.1:5000"]+"/iam/orders:prod", "version 2025-01.1, sequence 100")
			wantVersions(t, []string{prod}, "2025-01.1")
		},
		func(t *testing.T, out string) { // shadow
			wantIn(t, out, "DENY 403", "code=no_permit",
				`tollgate_shadow_disagreements_total{action="ListOrders",enforced="deny",shadow="allow"} 1`)
		},
		func(t *testing.T, out string) { // replay
			wantIn(t, out, "1 would change", `Action::"ListOrders"`, "deny -> allow by [payments-lists-orders]")
		},
		func(t *testing.T, out string) { // report
			wantIn(t, out, "policy version 2025-02.1", "permits that determined no allow: 2",
				"payments-refunds (orders.cedar:10)", "payments-lists-orders (orders.cedar:19)")
		},
		func(t *testing.T, out string) { wantIn(t, out, "signature valid, version 2025-02.1, sequence 101") },
		func(t *testing.T, out string) { wantIn(t, out, "pushed", "iam/orders:canary", "version 2025-02.1") },
		func(t *testing.T, out string) { // canary first: the fleet drifts
			wantIn(t, out, "ALLOW", "policies=[payments-lists-orders]", "version=2025-02.1")
			if n := distinctHashes(t, out, 2); n != 2 {
				t.Fatalf("during the rollout the fleet enforces %d policy hashes, want 2 (drift)", n)
			}
			waitDrift(t, prom, drift, "2")
		},
		func(t *testing.T, out string) { wantVersions(t, []string{canary, prod}, "2025-02.1") }, // promoted
		func(t *testing.T, out string) { // watch: one hash again
			wantIn(t, out, `version="2025-02.1"} 1`, `tollgate_bundle_fetch_total{result="ok"} 2`)
			if n := distinctHashes(t, out, 2); n != 1 {
				t.Fatalf("after the rollout the fleet enforces %d policy hashes, want 1", n)
			}
			waitDrift(t, prom, drift, "")
		},
		func(t *testing.T, out string) {}, // stop the demo
	}
	for i, b := range blocks {
		if b.heading != wantHeadings[i] {
			t.Fatalf("block %d is under %q, want %q", i, b.heading, wantHeadings[i])
		}
		out := w.run(t, b)
		checks[i](t, out)
	}
}

func wantIn(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, s := range wants {
		if !strings.Contains(out, s) {
			t.Fatalf("output lacks %q:\n%s", s, out)
		}
	}
}

func scrape(t *testing.T, admin string) string {
	t.Helper()
	resp, err := http.Get("http://" + admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

var policyInfo = regexp.MustCompile(`(?m)^tollgate_policy_info\{hash="(sha256:[0-9a-f]+)",version="([^"]+)"\} 1$`)

// enforced is the hash and version an instance's tollgate_policy_info
// reports as in force.
func enforced(t *testing.T, admin string) (hash, version string) {
	t.Helper()
	m := policyInfo.FindAllStringSubmatch(scrape(t, admin), -1)
	if len(m) != 1 {
		t.Fatalf("%s reports %d policies in force, want 1", admin, len(m))
	}
	return m[0][1], m[0][2]
}

func wantVersions(t *testing.T, admins []string, version string) {
	t.Helper()
	for _, a := range admins {
		if _, v := enforced(t, a); v != version {
			t.Fatalf("%s enforces %s, want %s", a, v, version)
		}
	}
}

// distinctHashes is what the drift alert's inner expression counts for
// one job, count(count by (hash) (tollgate_policy_info == 1)), over the
// policy_info lines the README's commands printed, one per instance.
func distinctHashes(t *testing.T, out string, instances int) int {
	t.Helper()
	m := policyInfo.FindAllStringSubmatch(out, -1)
	if len(m) != instances {
		t.Fatalf("the commands printed %d tollgate_policy_info lines, want one per instance (%d):\n%s", len(m), instances, out)
	}
	seen := map[string]bool{}
	for _, l := range m {
		seen[l[1]] = true
	}
	return len(seen)
}

// waitDrift polls Prometheus until the drift alert's expression returns
// want for the job ("" for nothing: the alert is not pending).
func waitDrift(t *testing.T, prom *harness.Prometheus, expr, want string) {
	t.Helper()
	testutil.Eventually(t, "the drift expression to return "+strconv.Quote(want), func() bool {
		got := prom.Query(t, expr)
		if want == "" {
			return len(got) == 0
		}
		return len(got) == 1 && got[0].Metric["job"] == "tollgate" && got[0].Val() == want
	})
}

// driftAlert is the TollgatePolicyDrift expression of
// examples/observability/alerts.yml; the README must quote it as is.
func driftAlert(t *testing.T, text string) string {
	t.Helper()
	alerts, err := os.ReadFile("../../examples/observability/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("`(count by \\(job\\)[^`]+)`").FindStringSubmatch(text)
	if m == nil {
		t.Fatal("the README quotes no drift expression")
	}
	rule := regexp.MustCompile(`(?s)alert: TollgatePolicyDrift\s+expr: ([^\n]+)`).FindStringSubmatch(string(alerts))
	if rule == nil || strings.TrimSpace(rule[1]) != m[1] {
		t.Fatalf("README quotes %q; alerts.yml's TollgatePolicyDrift is %q", m[1], rule)
	}
	return m[1]
}
