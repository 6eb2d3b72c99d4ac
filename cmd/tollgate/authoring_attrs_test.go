package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// quickstartNoSchema is a copy of the quickstart without its schema, as
// the quickstart was when issue 15 was filed.
func quickstartNoSchema(t *testing.T) string {
	dir := copyExample(t, "quickstart")
	if err := os.Remove(filepath.Join(dir, "policies", "schema.cedarschema")); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(dir, "tollgate.yaml"), "require_schema: true", "require_schema: false")
	return dir
}

func appendPolicy(t *testing.T, dir, text string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, "policies", "orders.cedar"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("\n" + text + "\n"); err != nil {
		t.Fatal(err)
	}
}

// A typo in a principal attribute switched a forbid off, with or without a
// schema: validate, test and bundle build fail, naming file, line, @id and
// the nearest attribute.
func TestTypoInPrincipalAttributeNeverDisablesForbid(t *testing.T) {
	for _, withSchema := range []bool{true, false} {
		t.Run(fmt.Sprintf("schema=%v", withSchema), func(t *testing.T) {
			dir := copyExample(t, "quickstart")
			if !withSchema {
				dir = quickstartNoSchema(t)
			}
			appendPolicy(t, dir, `@id("no-shop-refunds")
forbid (principal, action == Action::"RefundOrder", resource)
when { principal has namespac && principal.namespac == "shop" };`)
			policies, cfg := filepath.Join(dir, "policies"), filepath.Join(dir, "tollgate.yaml")
			code, out, errOut := runCLI(t, "validate", policies, "--config", cfg)
			if code != exitError {
				t.Fatalf("validate: exit %d, want %d\nstdout: %s\nstderr: %s", code, exitError, out, errOut)
			}
			for _, want := range []string{`policy @id("no-shop-refunds")`, "principal.namespac", "did you mean namespace?"} {
				if !strings.Contains(errOut, want) {
					t.Errorf("validate stderr lacks %q:\n%s", want, errOut)
				}
			}
			for _, args := range [][]string{{"test", policies, "--config", cfg},
				{"bundle", "build", policies, "--config", cfg, "-o", filepath.Join(dir, "b.tar.gz")}} {
				if code, out, errOut := runCLI(t, args...); code != exitError || !strings.Contains(errOut, "principal.namespac") {
					t.Errorf("%s: exit %d, want %d naming principal.namespac\n%s%s", args[0], code, exitError, out, errOut)
				}
			}
		})
	}
}

// The same typo in a permit only denies: validate and bundle build pass
// and warn.
func TestTypoInPrincipalAttributeOfPermitWarns(t *testing.T) {
	dir := quickstartNoSchema(t)
	appendPolicy(t, dir, `@id("shop-reads")
permit (principal, action == Action::"ReadOrder", resource)
when { principal.namespac == "shop" };`)
	code, out, errOut := runCLI(t, "validate", filepath.Join(dir, "policies"), "--config", filepath.Join(dir, "tollgate.yaml"))
	if code != exitOK {
		t.Fatalf("validate: exit %d, want %d\nstdout: %s\nstderr: %s", code, exitOK, out, errOut)
	}
	if !strings.Contains(errOut, `warning: orders.cedar:`) || !strings.Contains(errOut, `policy @id("shop-reads")`) ||
		!strings.Contains(errOut, "did you mean namespace?") {
		t.Errorf("validate stderr lacks the warning:\n%s", errOut)
	}
	code, out, errOut = runCLI(t, "bundle", "build", filepath.Join(dir, "policies"), "--config", filepath.Join(dir, "tollgate.yaml"),
		"-o", filepath.Join(dir, "b.tar.gz"), "--version", "v1")
	if code != exitOK || !strings.Contains(errOut, `warning: orders.cedar:`) || !strings.Contains(errOut, "principal.namespac") {
		t.Errorf("bundle build: exit %d, want %d with the warning\nstdout: %s\nstderr: %s", code, exitOK, out, errOut)
	}
}
