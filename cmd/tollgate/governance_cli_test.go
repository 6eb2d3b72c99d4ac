package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	exampleDir      = "../../examples/governance/policies"
	exampleConfig   = "../../examples/governance/tollgate.yaml"
	exampleManifest = "../../examples/governance/manifest.yaml"
)

// runCLI runs the command in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		{"example is valid", []string{"validate", exampleDir, "--manifest", exampleManifest}, exitOK,
			[]string{"ok: ", "version 2025-01.1", "3 policies", "schema-valid", "3 routes fit the schema"}},
		{"wrong attribute", []string{"validate", "testdata/wrong_attr"}, exitError,
			[]string{`p.cedar:1:1: policy @id("uses-unknown-attr")`, "attribute `department`", "FAIL:"}},
		{"wrong type", []string{"validate", "testdata/wrong_type"}, exitError,
			[]string{`@id("compares-string-to-long")`, "expected Long but saw String"}},
		{"unknown action", []string{"validate", "testdata/unknown_action"}, exitError,
			[]string{`@id("names-unknown-action")`, `unrecognized action`}},
		{"manifest action missing from schema", []string{"validate", exampleDir, "--manifest", "testdata/manifests/missing_action.yaml"}, exitError,
			[]string{`missing_action.yaml:3: route "delete-order": action Action::"DeleteOrder"`, "could never be authorized", "not declared in the schema"}},
		{"manifest resource the action does not apply to", []string{"validate", exampleDir, "--manifest", "testdata/manifests/wrong_resource.yaml"}, exitError,
			[]string{`wrong_resource.yaml:3`, "does not apply to resource type Order"}},
		{"manifest context mismatch", []string{"validate", "testdata/ctx_mismatch", "--manifest", exampleManifest}, exitError,
			[]string{`manifest.yaml:9: route "get-order"`, "requires context.source_address", "context.tls is a Bool in requests but the schema declares String"}},
		{"manifest smuggles a permit", []string{"validate", exampleDir, "--manifest", "testdata/manifests/smuggle_permit.yaml"}, exitError,
			[]string{"smuggle_permit.yaml:7", "cannot grant access", `key "permit"`, "FAIL: manifests: 1 problem"}},
		{"policy file in a manifest source", []string{"validate", exampleDir, "--manifest", "testdata/smuggle_dir"}, exitError,
			[]string{"grant.cedar", "manifest sources may only declare"}},
		{"exception without approver", []string{"validate", "testdata/exc_no_approver"}, exitError,
			[]string{`@id("break-glass")`, "missing @approved_by"}},
		{"exception without expiry", []string{"validate", "testdata/exc_no_expiry"}, exitError,
			[]string{`@id("break-glass")`, "missing @expires"}},
		{"exception beyond the window", []string{"validate", "testdata/exc_window", "--max-exception-window", "168h"}, exitError,
			[]string{`@id("break-glass")`, "more than the allowed 168h0m0s"}},
		{"exception within no window", []string{"validate", "testdata/exc_window"}, exitOK, []string{"1 exception(s)"}},
		{"expired exception is a warning", []string{"validate", "testdata/exc_expired"}, exitOK,
			[]string{"ok: ", "2 policies", "warning: exc.cedar:1:1: policy @id(\"break-glass\"): exception INC-1 expired at 2020-01-01T00:00:00Z",
				"1 expired exception(s)"}},
		{"refused exception fails validate", []string{"validate", "testdata/exc_refused", "--max-exception-window", "168h"}, exitError,
			[]string{`exc.cedar:1:1: policy @id("break-glass")`, "more than the allowed 168h0m0s", "FAIL:"}},
		{"no directory", []string{"validate"}, exitUsage, []string{"want one DIR|BUNDLE", "tollgate validate --help"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			for _, want := range tt.contains {
				if !strings.Contains(out+errOut, want) {
					t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", want, out, errOut)
				}
			}
		})
	}
}

func TestTestCommand(t *testing.T) {
	code, out, errOut := runCLI(t, "test", exampleDir, "--config", exampleConfig)
	if code != exitOK || !strings.HasSuffix(out, "PASS: 7 passed, 0 failed\n") {
		t.Fatalf("example suite: code %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "test", "testdata/failing")
	if code != exitError {
		t.Fatalf("failing suite exited %d, want %d", code, exitError)
	}
	for _, want := range []string{
		"--- FAIL: wrong/expects the wrong decision (testdata/failing/tests/wrong.yaml:8)",
		"decision: want allow, got deny (code=no_permit, policies=[])",
		"--- FAIL: wrong/expects the wrong policy (testdata/failing/tests/wrong.yaml:14)",
		"policies: want [some-other-policy], got [storefront-reads-orders]",
		"FAIL: 1 passed, 2 failed\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "storefront reads an order") {
		t.Errorf("passing case printed without -v:\n%s", out)
	}
}

func TestCheckOffline(t *testing.T) {
	base := []string{"check", "--offline", "--policies", exampleDir, "--config", exampleConfig}
	code, out, errOut := runCLI(t, append(base, "--spiffe-id", "spiffe://example.org/ns/pay/sa/payments",
		"--method", "POST", "--path", "/orders/7/refund", "--ext", "environment=dev")...)
	if code != exitDenied {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitDenied, out, errOut)
	}
	for _, want := range []string{`principal: Workload::"spiffe://example.org/ns/pay/sa/payments"`,
		`action:    Action::"RefundOrder"`, `resource:  Order::"7"`, `"environment":"dev"`,
		"decision: DENY code=forbid", "determining policies: [refunds-only-in-prod]", "policy version: 2025-01.1"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, append(base, "--spiffe-id", "spiffe://example.org/ns/shop/sa/frontend", "--path", "/orders/7")...)
	if code != exitOK || !strings.Contains(out, "decision: ALLOW code=permit") {
		t.Fatalf("allow: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, append(base, "--spiffe-id", "spiffe://example.org/ns/shop/sa/frontend", "--path", "/nope")...)
	if code != exitDenied || !strings.Contains(out, "cedar request: none") || !strings.Contains(out, "code=no_route") {
		t.Fatalf("no route: exit %d\n%s", code, out)
	}
	code, _, errOut = runCLI(t, "check", "--offline", "--spiffe-id", "spiffe://example.org/x")
	if code != exitError || !strings.Contains(errOut, "--policies DIR is required") {
		t.Fatalf("missing --policies: exit %d, %s", code, errOut)
	}
}

func TestBundleCommands(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	out := filepath.Join(dir, "bundle.tar.gz")
	steps := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"bundle", "keygen", "--out", keys}, exitOK, "bundle-signing.key"},
		{[]string{"bundle", "build", exampleDir, "-o", out, "--sequence", "0"}, exitError, "sequence"},
		{[]string{"bundle", "build", exampleDir, "-o", out, "--expires", "-1h"}, exitError, "expires"},
		{[]string{"bundle", "build", exampleDir, "-o", out, "--expires", "9000h"}, exitError, "maximum"},
		{[]string{"bundle", "build", exampleDir, "-o", out, "--sequence", "7", "--expires", "24h"}, exitOK, "sequence 7, expires"},
		{[]string{"bundle", "build", exampleDir, "-o", out}, exitOK, "version 2025-01.1"},
		{[]string{"bundle", "build", exampleDir, "-o", out, "--version", "other"}, exitError, "differs from"},
		{[]string{"bundle", "build", "testdata/wrong_attr", "-o", out + "x"}, exitError, "attribute `department`"},
		{[]string{"bundle", "verify", out, "--pub", filepath.Join(keys, "bundle-signing.pub")}, exitError, "no signature"},
		{[]string{"bundle", "sign", out, "--key", filepath.Join(keys, "bundle-signing.key")}, exitOK, "bundle.tar.gz.sig"},
		{[]string{"bundle", "verify", out, "--pub", filepath.Join(keys, "bundle-signing.pub")}, exitOK, "signature valid, version 2025-01.1, sequence "},
		{[]string{"bundle", "keygen", "--out", keys}, exitError, "exists"},
	}
	for _, s := range steps {
		code, o, e := runCLI(t, s.args...)
		if code != s.code || !strings.Contains(o+e, s.contains) {
			t.Fatalf("%v: exit %d (want %d), output lacks %q?\n%s%s", s.args, code, s.code, s.contains, o, e)
		}
	}
	info, err := os.Stat(filepath.Join(keys, "bundle-signing.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("private key mode: %v %v", info, err)
	}
	// A wrong key and a tampered archive are refused.
	code, _, _ := runCLI(t, "bundle", "keygen", "--out", filepath.Join(dir, "other"))
	if code != exitOK {
		t.Fatal("keygen other")
	}
	code, _, e := runCLI(t, "bundle", "verify", out, "--pub", filepath.Join(dir, "other", "bundle-signing.pub"))
	if code != exitError || !strings.Contains(e, "signature not valid") {
		t.Fatalf("wrong key: exit %d %s", code, e)
	}
	data, _ := os.ReadFile(out)
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(out, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, e = runCLI(t, "bundle", "verify", out, "--pub", filepath.Join(keys, "bundle-signing.pub"))
	if code != exitError || !strings.Contains(e, "signature not valid") {
		t.Fatalf("tampered: exit %d %s", code, e)
	}
}
