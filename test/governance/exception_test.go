package governance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// TestExceptionExpiresWithoutReload: an approved exception allows until the
// instant it expires, then the same request is denied with no reload; the
// decision log and metrics mark the exception-based allow.
func TestExceptionExpiresWithoutReload(t *testing.T) {
	dir := t.TempDir()
	expires := time.Now().Add(4 * time.Second).UTC().Truncate(time.Second).Add(time.Second)
	policies := policyDir(t, readPolicy+"\n"+`@id("analyst-break-glass")
@exception("INC-4711")
@approved_by("alice@iam")
@expires("`+expires.Format(time.RFC3339)+`")
permit (principal == Workload::"`+analyst+`", action == Action::"ReadOrder", resource);`)
	harness.WriteFile(t, dir, "manifest.yaml", []byte(manifest))
	pemData, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "bundle.pem"))
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "bundle.pem", pemData)
	p := harness.Start(t, dir, strings.Join([]string{
		"listen: { grpc: '{{GRPC}}', admin: '{{ADMIN}}' }",
		"identity: { trust_domains: [example.org], trust_source_principal: true,",
		"  bundles: [{ trust_domain: example.org, x509_pem: bundle.pem }] }",
		"policy: { dir: " + policies + ", reload_interval: 1h, max_exception_window: 1h }",
		"manifests: [manifest.yaml]",
		"log: { decisions: stdout }",
	}, "\n")+"\n")
	p.WaitReady()
	v := readOrder(p, analyst)
	if !v.Allow || strings.Join(v.Policies, ",") != "analyst-break-glass" {
		t.Fatalf("before expiry: %+v", v)
	}
	// The decision line reaches the test through a pipe: wait for it.
	testutil.Eventually(t, "the decision log to mark the exception", func() bool {
		return strings.Contains(p.Stdout.String(), `"exceptions":["INC-4711"]`)
	})
	m := p.Metrics()
	if testutil.TextValue(m, "tollgate_exceptions_active ") != 1 ||
		testutil.TextValue(m, `tollgate_exception_decisions_total{decision="allow"}`) != 1 ||
		testutil.TextValue(m, "tollgate_exception_next_expiry_seconds ") != float64(expires.Unix()) {
		t.Fatalf("exception metrics:\n%s", grep(m, "exception"))
	}
	testutil.Eventually(t, "the exception to expire", func() bool { return !readOrder(p, analyst).Allow })
	if now := time.Now(); now.Before(expires) {
		t.Fatalf("denied at %s, before the expiry %s", now, expires)
	}
	if v := readOrder(p, analyst); v.Allow || v.Code != "no_permit" {
		t.Fatalf("after expiry: %+v", v)
	}
	testutil.Eventually(t, "gauges to follow", func() bool {
		m := p.Metrics()
		return testutil.TextValue(m, "tollgate_exceptions_active ") == 0 && testutil.TextValue(m, "tollgate_exception_next_expiry_seconds ") == 0
	})
	if testutil.TextValue(p.Metrics(), `tollgate_policy_reloads_total{result="success"}`) != 1 {
		t.Fatal("the policy was reloaded; expiry must not need a reload")
	}
}
