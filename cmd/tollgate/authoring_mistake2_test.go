package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Issue 15, mistake 2: a deny case with a mistyped action and resource type,
// and a case with mistyped context keys, passed ("7 passed"): they were
// denied because nothing matched them, not because a policy denied them.
func TestMistake2TestsNeverPassVacuously(t *testing.T) {
	dir := copyExample(t, "governance")
	suite := filepath.Join(dir, "policies", "tests", "orders.yaml")
	editFile(t, suite, `  - name: storefront cannot refund
    principal: spiffe://example.org/ns/shop/sa/frontend
    action: RefundOrder
    resource: Order::"42"`, `  - name: storefront cannot refund
    principal: spiffe://example.org/ns/shop/sa/frontend
    action: RefundOrdr
    resource: Ordr::"42"`)
	editFile(t, suite, `    context: { environment: staging }`, `    context: { enviroment: staging, bogus: 1 }`) //nolint:misspell // the typo is the test

	code, out, errOut := runCLI(t, "test", filepath.Join(dir, "policies"), "--config", filepath.Join(dir, "tollgate.yaml"))
	if code != exitError || strings.Contains(out, "7 passed") {
		t.Fatalf("test: exit %d, want %d\n%s%s", code, exitError, out, errOut)
	}
	all := out + errOut
	for _, want := range []string{
		"orders.yaml:11", `Action::"RefundOrdr"`, "did you mean RefundOrder?", "Ordr",
		"orders.yaml:25", "context.enviroment", "did you mean environment?", "context.bogus",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("output lacks %q:\n%s", want, all)
		}
	}
}

// An unknown key in a suite names the file and line and suggests the key.
func TestSuiteUnknownKeyDidYouMean(t *testing.T) {
	dir := copyExample(t, "governance")
	suite := filepath.Join(dir, "policies", "tests", "orders.yaml")
	editFile(t, suite, "    expect: deny\n    policies: [refunds-only-in-prod]\n  - name: HTTP list",
		"    expect: deny\n    polices: [refunds-only-in-prod]\n  - name: HTTP list")
	code, out, errOut := runCLI(t, "test", filepath.Join(dir, "policies"), "--config", filepath.Join(dir, "tollgate.yaml"))
	if code != exitError || !strings.Contains(errOut, "orders.yaml:31") || !strings.Contains(errOut, `unknown key "polices"`) ||
		!strings.Contains(errOut, "did you mean policies?") {
		t.Fatalf("test: exit %d\n%s%s", code, out, errOut)
	}
}
