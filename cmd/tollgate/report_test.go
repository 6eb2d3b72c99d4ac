package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const hotfix = `
@id("hotfix") @exception("INC-7") @approved_by("secops") @expires("2099-01-01T00:00:00Z")
permit (principal == Workload::"spiffe://example.org/ns/shop/sa/frontend", action == Action::"ListOrders", resource);
`

func reportJSON(t *testing.T, args ...string) (int, reportResult, string) {
	t.Helper()
	code, out, errOut := runCLI(t, append([]string{"report", "--output", "json"}, args...)...)
	var res reportResult
	if code == exitOK {
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
	}
	return code, res, errOut
}

func exampleWith(t *testing.T, extra string) string {
	t.Helper()
	b, err := os.ReadFile(exampleDir + "/orders.cedar")
	if err != nil {
		t.Fatal(err)
	}
	return candidateDir(t, string(b)+extra)
}

// TestReport: a log the real engine wrote (with a governed exception in
// force), reviewed against the candidate policies, names the unused
// permits and grants, the exception and who used it, the forbid that
// fired and the evaluation errors.
func TestReport(t *testing.T) {
	checks := append(generatedChecks[:len(generatedChecks):len(generatedChecks)], logCheck{frontendID, "GET", "/orders", nil})
	log := generateLog(t, exampleWith(t, hotfix), checks)
	f, err := os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteString(`{"time":"2026-11-01T00:00:00Z","msg":"decision","schema_version":1,"outcome":"forbidden","code":"forbid_error",` +
		`"principal":"` + paymentsID + `","policies":["refunds-only-in-prod"],"eval_errors":[{"policy":"refunds-only-in-prod","forbid":true,"kind":"type"}]}` + "\n" +
		`{"time":"2026-11-01T00:00:00Z","msg":"decision","schema_version":9,"outcome":"allow","code":"permit","policies":["storefront-lists-orders"]}` + "\n" +
		`{"time":"2026-11-01T00:00:00Z","msg":"decision","schema_version":1,"outcome":"allow","code":"permit","policies":["payments-refunds"]}` + "\n")
	if cerr := f.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	code, res, errOut := reportJSON(t, "--policies", candidateDir(t, candidatePolicies+hotfix), "--since", "3660d", "--until", "2030-01-01T00:00:00Z", log)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if res.Decisions != 9 || res.OtherSchema != 1 {
		t.Errorf("decisions %d, other schema %d", res.Decisions, res.OtherSchema)
	}
	var unused []string
	for _, p := range res.UnusedPermits {
		unused = append(unused, p.Policy)
	}
	if got := strings.Join(unused, ","); got != "storefront-lists-orders,storefront-refunds" {
		t.Errorf("unused permits %s", got)
	}
	if len(res.UnusedGrants) != 1 || res.UnusedGrants[0].Principal != frontendID ||
		strings.Join(res.UnusedGrants[0].Policies, ",") != "storefront-lists-orders,storefront-refunds" {
		t.Errorf("unused grants %+v", res.UnusedGrants)
	}
	if len(res.Exceptions) != 1 || res.Exceptions[0].Key != "INC-7" || res.Exceptions[0].Policy != "hotfix" ||
		len(res.Exceptions[0].Principals) != 1 || res.Exceptions[0].Principals[0] != (principalCount{frontendID, 1}) {
		t.Errorf("exceptions %+v", res.Exceptions)
	}
	if len(res.Forbids) != 1 || res.Forbids[0].Key != "refunds-only-in-prod" || res.Forbids[0].Principals[0] != (principalCount{paymentsID, 1}) {
		t.Errorf("forbids %+v", res.Forbids)
	}
	if len(res.EvalErrors) != 1 || res.EvalErrors[0].Kind != "type" || res.EvalErrors[0].Principals[0] != (principalCount{paymentsID, 1}) {
		t.Errorf("eval errors %+v", res.EvalErrors)
	}
	code, out, _ := runCLI(t, "report", "--policies", candidateDir(t, candidatePolicies+hotfix), "--since", "3660d", "--until", "2030-01-01T00:00:00Z", log)
	for _, want := range []string{"permits that determined no allow: 2", frontendID + ": [storefront-lists-orders, storefront-refunds]",
		"INC-7 (hotfix): " + frontendID + " ×1", "refunds-only-in-prod: " + paymentsID + " ×1", "refunds-only-in-prod (type): "} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

// TestReportWindow: lines outside [until-since, until] are left out.
func TestReportWindow(t *testing.T) {
	log := generateLog(t, exampleDir, generatedChecks)
	code, res, errOut := reportJSON(t, "--policies", exampleDir, "--until", "2020-01-01T00:00:00Z", log)
	if code != exitOK || res.Decisions != 0 || len(res.UnusedPermits) != 2 {
		t.Fatalf("exit %d %s %+v", code, errOut, res)
	}
}

func TestParseSince(t *testing.T) {
	for in, ok := range map[string]bool{"30d": true, "12h": true, "0d": false, "-1h": false, "d": false, "1y": false, "99999d": false} {
		if _, err := parseSince(in); (err == nil) != ok {
			t.Errorf("%q: err %v", in, err)
		}
	}
}
