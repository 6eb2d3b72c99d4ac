package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// featureSuite exercises the assertions, per-case entities and now:.
const featureSuite = `name: features
cases:
  - name: code and no errors
    principal: spiffe://example.org/ns/pay/sa/payments
    action: RefundOrder
    resource: Order::"1"
    context: { environment: dev }
    expect: deny
    code: forbid
    errors: []
  - name: a case entity joins a team
    principal: spiffe://example.org/ns/new/sa/intern
    action: ReadOrder
    resource: Order::"1"
    entities:
      - { uid: { type: Workload, id: "spiffe://example.org/ns/new/sa/intern" }, attrs: {}, parents: [{ type: Team, id: storefront }] }
    expect: allow
    policies: [storefront-reads-orders]
  - name: the exception applies before it expires
    principal: spiffe://example.org/ns/analytics/sa/reporter
    action: ReadOrder
    resource: Order::"1"
    now: 2030-01-01T00:00:00Z
    expect: allow
    policies: [break-glass]
  - name: and not after
    principal: spiffe://example.org/ns/analytics/sa/reporter
    action: ReadOrder
    resource: Order::"1"
    now: 2030-02-01T00:00:00Z
    expect: deny
    code: no_permit
  - name: wrong code
    principal: spiffe://example.org/ns/pay/sa/payments
    action: RefundOrder
    resource: Order::"1"
    context: { environment: dev }
    expect: deny
    code: no_permit
`

func featureDir(t *testing.T) (policies, cfg string) {
	t.Helper()
	dir := copyExample(t, "governance")
	policies = filepath.Join(dir, "policies")
	exc := `@id("break-glass") @exception("INC-1") @approved_by("alice") @expires("2030-01-02T00:00:00Z")
permit (principal == Workload::"spiffe://example.org/ns/analytics/sa/reporter", action == Action::"ReadOrder", resource);`
	for name, data := range map[string]string{"exc.cedar": exc, "tests/orders.yaml": featureSuite} {
		if err := os.WriteFile(filepath.Join(policies, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Without the config's 168h window: the exception is years ahead.
	return policies, filepath.Join(dir, "tollgate.yaml")
}

func TestTestFeatures(t *testing.T) {
	policies, cfg := featureDir(t)
	editFile(t, cfg, "max_exception_window: 168h", "max_exception_window: 0s")
	code, out, errOut := runCLI(t, "test", policies, "--config", cfg, "--coverage")
	if code != exitError {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"--- FAIL: features/wrong code", "code: want no_permit, got forbid",
		"FAIL: 4 passed, 1 failed", "coverage: 4 policies, 0 never exercised"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "--- FAIL") != 1 {
		t.Errorf("want exactly one failure:\n%s", out)
	}

	code, out, _ = runCLI(t, "test", policies, "--config", cfg, "--run", "exception|and not")
	if code != exitOK || !strings.Contains(out, "PASS: 2 passed, 0 failed") {
		t.Fatalf("--run: exit %d\n%s", code, out)
	}

	_, out, _ = runCLI(t, "test", policies, "--config", cfg, "--format", "json")
	var rep struct {
		Passed, Failed int
		Cases          []caseResult
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Passed != 4 || rep.Failed != 1 || len(rep.Cases) != 5 {
		t.Fatalf("json: %v %+v\n%s", err, rep, out)
	}

	_, out, _ = runCLI(t, "test", policies, "--config", cfg, "--format", "junit")
	var ju junitSuites
	if err := xml.Unmarshal([]byte(out), &ju); err != nil || len(ju.Suites) != 1 || ju.Suites[0].Failures != 1 ||
		ju.Suites[0].Tests != 5 {
		t.Fatalf("junit: %v %+v\n%s", err, ju, out)
	}
}

func TestTestCoverageListsUnexercised(t *testing.T) {
	code, out, _ := runCLI(t, "test", exampleDir, "--config", exampleConfig, "--run", "refunds in prod", "--coverage")
	if code != exitOK || !strings.Contains(out, `no case in scope: orders.cedar:3 @id("storefront-reads-orders")`) {
		t.Fatalf("exit %d\n%s", code, out)
	}
}
