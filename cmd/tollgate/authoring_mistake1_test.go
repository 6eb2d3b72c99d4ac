package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyExample copies examples/<name> into a temporary directory, so a test
// can make an IAM engineer's edit to it.
func copyExample(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("../../examples", name)
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// editFile replaces old with new in file, which must contain old.
func editFile(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(file, []byte(strings.ReplaceAll(string(data), old, new)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Issue 15, mistake 1: renaming risk_score to riskscore in the
// quickstart's deny-high-risk switched the forbid off, and validate said ok.
// It must fail with the quickstart's schema, and without one (as the
// quickstart was when the issue was filed).
func TestMistake1TypoNeverDisablesForbid(t *testing.T) {
	for _, withSchema := range []bool{true, false} {
		t.Run(fmt.Sprintf("schema=%v", withSchema), func(t *testing.T) {
			dir := copyExample(t, "quickstart")
			if !withSchema {
				if err := os.Remove(filepath.Join(dir, "policies", "schema.cedarschema")); err != nil {
					t.Fatal(err)
				}
				editFile(t, filepath.Join(dir, "tollgate.yaml"), "require_schema: true", "require_schema: false")
			}
			testTypoInForbid(t, dir)
		})
	}
}

func testTypoInForbid(t *testing.T, dir string) {
	policies, cfg := filepath.Join(dir, "policies"), filepath.Join(dir, "tollgate.yaml")
	editFile(t, filepath.Join(policies, "orders.cedar"),
		"context has risk_score && context.risk_score >= 80", "context has riskscore && context.riskscore >= 80")

	code, out, errOut := runCLI(t, "validate", policies, "--config", cfg)
	if code != exitError {
		t.Fatalf("validate: exit %d, want %d (the typo must fail)\nstdout: %s\nstderr: %s", code, exitError, out, errOut)
	}
	for _, want := range []string{`orders.cedar:23:1: policy @id("deny-high-risk")`, "context.riskscore",
		"did you mean risk_score?"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("validate stderr lacks %q:\n%s", want, errOut)
		}
	}

	code, out, _ = runCLI(t, "check", "--offline", "--policies", policies, "--config", cfg,
		"--spiffe-id", "spiffe://example.org/ns/pay/sa/payments", "--method", "POST", "--path", "/orders/42/refund",
		"--ext", "environment=prod", "--ext", "risk_score=95")
	if code == exitOK || strings.Contains(out, "ALLOW") {
		t.Fatalf("check --offline with the typo: exit %d, want no allow\n%s", code, out)
	}
	for _, args := range [][]string{{"test", policies, "--config", cfg}, {"bundle", "build", policies, "--config", cfg,
		"-o", filepath.Join(dir, "b.tar.gz")}} {
		if code, out, errOut := runCLI(t, args...); code != exitError || !strings.Contains(errOut, "context.riskscore") {
			t.Errorf("%s: exit %d, want %d naming context.riskscore\n%s%s", args[0], code, exitError, out, errOut)
		}
	}
}

// policy.require_schema refuses a policy source without a schema.
func TestRequireSchema(t *testing.T) {
	dir := copyExample(t, "quickstart")
	if err := os.Remove(filepath.Join(dir, "policies", "schema.cedarschema")); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "validate", filepath.Join(dir, "policies"), "--config", filepath.Join(dir, "tollgate.yaml"))
	if code != exitError || !strings.Contains(errOut, "policy.require_schema is set") {
		t.Fatalf("validate without schema under require_schema: exit %d\n%s", code, errOut)
	}
}

// The quickstart as shipped validates, with its schema.
func TestQuickstartValidates(t *testing.T) {
	code, out, errOut := runCLI(t, "validate", "../../examples/quickstart/policies", "--config", "../../examples/quickstart/tollgate.yaml")
	if code != exitOK || !strings.Contains(out, "schema-valid") {
		t.Fatalf("validate quickstart: exit %d\n%s%s", code, out, errOut)
	}
}
