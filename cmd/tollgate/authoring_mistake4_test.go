package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Issue 15, mistake 4: a 30-day exception built, signed and verified, and
// then the server refused it. bundle build --config takes the window from
// the config serve uses, so the bundle is never built.
func TestMistake4BundleBuildEnforcesConfigWindow(t *testing.T) {
	dir := copyExample(t, "governance")
	policies := filepath.Join(dir, "policies")
	exc := `@id("analytics-break-glass")
@exception("INC-4711")
@approved_by("alice@iam.example")
@expires("` + time.Now().Add(30*24*time.Hour).UTC().Format(time.RFC3339) + `")
permit (principal == Workload::"spiffe://example.org/ns/analytics/sa/reporter",
        action == Action::"ReadOrder", resource);
`
	if err := os.WriteFile(filepath.Join(policies, "exception-inc-4711.cedar"), []byte(exc), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "bundle.tar.gz")
	code, o, e := runCLI(t, "bundle", "build", policies, "--config", filepath.Join(dir, "tollgate.yaml"), "-o", out)
	if code != exitError || !strings.Contains(e, `exception-inc-4711.cedar:1:1: policy @id("analytics-break-glass")`) ||
		!strings.Contains(e, "more than the allowed 168h0m0s") {
		t.Fatalf("bundle build --config: exit %d (want %d)\n%s%s", code, exitError, o, e)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("bundle build wrote a bundle serve would refuse")
	}
	// Within the window it builds.
	editFile(t, filepath.Join(policies, "exception-inc-4711.cedar"), "@expires(\"",
		"@expires(\""+time.Now().Add(24*time.Hour).UTC().Format(time.RFC3339)+"\") // was ")
	if code, o, e := runCLI(t, "bundle", "build", policies, "--config", filepath.Join(dir, "tollgate.yaml"), "-o", out); code != exitOK {
		t.Fatalf("bundle build within the window: exit %d\n%s%s", code, o, e)
	}
}

// bundle verify --config runs the checks serve runs: a bundle built
// without --config, whose forbid reads an attribute Tollgate never sets,
// verifies its signature but fails the checks.
func TestBundleVerifyRunsServeChecks(t *testing.T) {
	dir := copyExample(t, "quickstart")
	policies, cfg := filepath.Join(dir, "policies"), filepath.Join(dir, "tollgate.yaml")
	editFile(t, filepath.Join(policies, "orders.cedar"), "context.risk_score >= 80", "context.riskscore >= 80")
	editFile(t, filepath.Join(policies, "orders.cedar"), "context has risk_score", "context has riskscore")
	b := filepath.Join(dir, "b.tar.gz")
	for _, args := range [][]string{
		{"bundle", "build", policies, "-o", b, "--version", "v1"},
		{"bundle", "keygen", "--out", dir},
		{"bundle", "sign", b, "--key", filepath.Join(dir, "bundle-signing.key")},
		{"bundle", "verify", b, "--pub", filepath.Join(dir, "bundle-signing.pub")},
	} {
		if code, o, e := runCLI(t, args...); code != exitOK {
			t.Fatalf("%v: exit %d\n%s%s", args, code, o, e)
		}
	}
	code, o, e := runCLI(t, "bundle", "verify", b, "--pub", filepath.Join(dir, "bundle-signing.pub"), "--config", cfg)
	if code != exitError || !strings.Contains(e, `policy @id("deny-high-risk")`) || !strings.Contains(e, "context.riskscore") {
		t.Fatalf("verify --config: exit %d\n%s%s", code, o, e)
	}
}
