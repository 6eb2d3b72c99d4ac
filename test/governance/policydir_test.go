package governance

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// expiredException was approved for the analyst and expired long ago.
const expiredException = `@id("analyst-break-glass")
@exception("INC-1")
@approved_by("alice@iam")
@expires("2020-01-01T00:00:00Z")
permit (principal == Workload::"` + analyst + `", action == Action::"ReadOrder", resource);`

const emergencyForbid = `@id("emergency-deny-frontend")
forbid (principal == Workload::"` + frontend + `", action, resource);`

// dirConfig is a serve config reading policies from dir, plus extra
// policy keys.
func dirConfig(t *testing.T, dir, policies, extra string) string {
	harness.WriteFile(t, dir, "manifest.yaml", []byte(manifest))
	pemData, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "bundle.pem"))
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "bundle.pem", pemData)
	return strings.Join([]string{
		"listen: { grpc: '{{GRPC}}', admin: '{{ADMIN}}' }",
		"identity: { trust_domains: [example.org], trust_source_principal: true,",
		"  bundles: [{ trust_domain: example.org, x509_pem: bundle.pem }] }",
		"policy: { dir: " + policies + ", reload_interval: 100ms, settle_interval: 300ms" + extra + " }",
		"manifests: [manifest.yaml]",
		"log: { decisions: stdout }",
		"shutdown_timeout: 2s",
	}, "\n") + "\n"
}

// An expired exception neither stops Tollgate from starting nor blocks
// the reload that brings an emergency forbid; it is counted and never
// applies.
func TestExpiredExceptionDoesNotBlockRevocation(t *testing.T) {
	dir := t.TempDir()
	policies := policyDir(t, readPolicy)
	harness.WriteFile(t, policies, "exceptions.cedar", []byte(expiredException))
	p := harness.Start(t, dir, dirConfig(t, dir, policies, ""))
	p.WaitReady()
	if v := readOrder(p, analyst); v.Allow {
		t.Fatalf("expired exception applied: %+v", v)
	}
	if v := readOrder(p, frontend); !v.Allow {
		t.Fatalf("baseline lost: %+v", v)
	}
	if got := testutil.TextValue(p.Metrics(), "tollgate_exceptions_expired "); got != 1 {
		t.Errorf("tollgate_exceptions_expired = %v, want 1", got)
	}
	harness.WriteFile(t, policies, "emergency.cedar", []byte(emergencyForbid))
	testutil.Eventually(t, "the emergency forbid", func() bool { return !readOrder(p, frontend).Allow })
	if !strings.Contains(p.Stderr.String(), "INC-1") {
		t.Errorf("expired exception not logged:\n%s", p.Stderr.String())
	}
}

// A .cedar file that is empty (being written) never loads: the version in
// force stays, and the failure is logged naming the file.
func TestEmptyPolicyFileKeepsVersion(t *testing.T) {
	dir := t.TempDir()
	policies := policyDir(t, readPolicy)
	p := harness.Start(t, dir, dirConfig(t, dir, policies, ""))
	p.WaitReady()
	v1 := readOrder(p, frontend).Version
	harness.WriteFile(t, policies, "deny.cedar", nil)
	testutil.Eventually(t, "the empty file to be refused", func() bool {
		return strings.Contains(p.Stderr.String(), "deny.cedar: policy file holds no policy")
	})
	if v := readOrder(p, frontend); !v.Allow || v.Version != v1 {
		t.Fatalf("version changed on an empty file: %+v, want %s", v, v1)
	}
}

// A policy directory with no policy never makes Tollgate ready: it exits,
// unless policy.allow_empty says an all-deny version is intended.
func TestEmptyPolicyDirectory(t *testing.T) {
	dir := t.TempDir()
	policies := policyDir(t, readPolicy)
	if err := os.Remove(filepath.Join(policies, "orders.cedar")); err != nil {
		t.Fatal(err)
	}
	p := harness.Start(t, dir, dirConfig(t, dir, policies, ""))
	select {
	case <-p.Exited:
	case <-time.After(20 * time.Second):
		t.Fatal("tollgate kept running with no policy")
	}
	var ee *exec.ExitError
	if !errors.As(p.ExitErr, &ee) || !strings.Contains(p.Stderr.String(), "no policies") {
		t.Fatalf("exit = %v, stderr:\n%s", p.ExitErr, p.Stderr.String())
	}
	dir2 := t.TempDir()
	p = harness.Start(t, dir2, dirConfig(t, dir2, policies, ", allow_empty: true"))
	p.WaitReady()
	if v := readOrder(p, frontend); v.Allow {
		t.Fatalf("an empty version allowed: %+v", v)
	}
}
