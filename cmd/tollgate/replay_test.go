package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
)

const (
	frontendID = "spiffe://example.org/ns/shop/sa/frontend"
	paymentsID = "spiffe://example.org/ns/pay/sa/payments"
)

// logCheck is one request the real engine decides to produce a log line.
type logCheck struct {
	spiffeID, method, path string
	ext                    map[string]string
}

// generatedChecks, against the governance example's policies:
//  1. frontend reads an order: allow by storefront-reads-orders
//  2. payments refunds in prod: allow by payments-refunds
//  3. payments refunds outside prod: forbid by refunds-only-in-prod
//  4. frontend refunds in prod: no_permit
//  5. no route: decided before policy
//  6. no identity: decided before policy
var generatedChecks = []logCheck{
	{frontendID, "GET", "/orders/42", nil},
	{paymentsID, "POST", "/orders/7/refund", map[string]string{"environment": "prod"}},
	{paymentsID, "POST", "/orders/7/refund", nil},
	{frontendID, "POST", "/orders/7/refund", map[string]string{"environment": "prod"}},
	{frontendID, "GET", "/nowhere", nil},
	{"", "GET", "/orders/42", nil},
}

// generateLog runs the checks through the real engine over the policies in
// dir (with the example's manifest and config signals) and writes the
// decision log to a file.
func generateLog(t *testing.T, dir string, checks []logCheck) string {
	t.Helper()
	return generateLogWith(t, dir, checks, func(w io.Writer) slog.Handler { return authz.NewJSONLineHandler(w, nil) })
}

// generateLogWith is generateLog with the decision log's handler.
func generateLogWith(t *testing.T, dir string, checks []logCheck, handler func(io.Writer) slog.Handler) string {
	t.Helper()
	pf := policyFlags{manifests: multiFlag{exampleManifest}}
	env, err := loadOffline(dir, &pf)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	eng, err := authz.NewEngine(authz.Config{Identifier: trustedID{}, Policies: &recorder{snap: env.snap},
		Manifest: env.manifest, Signals: []authz.Signal{{Name: "environment", From: authz.FromContextExtension, Key: "environment", Type: authz.TypeString}},
		DecisionLog: slog.New(handler(&buf))})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range checks {
		eng.Check(context.Background(), &authz.Request{Method: c.method, Path: c.path, Host: "orders.example.org",
			Scheme: "https", Headers: map[string]string{}, TLS: true, ContentLength: -1,
			Credentials: identity.Credentials{SourcePrincipal: c.spiffeID}, ContextExtensions: c.ext})
	}
	path := filepath.Join(t.TempDir(), "decisions.log")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// candidateDir is the example's policy directory with orders.cedar
// replaced by policies.
func candidateDir(t *testing.T, policies string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"schema.cedarschema", "entities.json", "VERSION"} {
		b, err := os.ReadFile(filepath.Join(exampleDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "orders.cedar"), []byte(policies), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// candidatePolicies: storefront may only list orders now (so it loses
// ReadOrder), and may refund (in prod, as refunds-only-in-prod still says).
const candidatePolicies = `
@id("storefront-lists-orders")
permit (principal in Team::"storefront", action == Action::"ListOrders", resource);
@id("storefront-refunds")
permit (principal in Team::"storefront", action == Action::"RefundOrder", resource);
@id("payments-refunds")
permit (principal in Team::"payments", action == Action::"RefundOrder", resource);
@id("refunds-only-in-prod")
forbid (principal, action == Action::"RefundOrder", resource)
unless { context has environment && context.environment == "prod" };
`

func replayJSON(t *testing.T, args ...string) (int, replayResult, string) {
	t.Helper()
	code, out, errOut := runCLI(t, append([]string{"replay", "--output", "json"}, args...)...)
	var res replayResult
	if code != exitError {
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v: %s%s", err, out, errOut)
		}
	}
	return code, res, errOut
}

// TestReplayChanges: a log the real engine wrote, replayed against changed
// policies, names exactly the two decisions that change, and exits 3.
func TestReplayChanges(t *testing.T) {
	log := generateLog(t, exampleDir, generatedChecks)
	code, res, errOut := replayJSON(t, "--policies", candidateDir(t, candidatePolicies), log)
	if code != exitChanged {
		t.Fatalf("exit %d, want %d: %s %+v", code, exitChanged, errOut, res)
	}
	if res.Lines != 6 || res.Unchanged != 2 || len(res.Unknown) != 0 || res.Skipped["no_route"] != 1 || len(res.Skipped) != 2 {
		t.Errorf("counts: %+v", res)
	}
	if len(res.Changed) != 2 {
		t.Fatalf("changed: %+v", res.Changed)
	}
	c0, c1 := res.Changed[0], res.Changed[1]
	if c0.At != log+":1" || c0.Principal != frontendID || c0.Action != `Action::"ReadOrder"` || c0.Was != "allow" || c0.Now != "deny" ||
		c0.NowCode != "no_permit" || strings.Join(c0.WasPolicies, ",") != "storefront-reads-orders" {
		t.Errorf("first change: %+v", c0)
	}
	if c1.At != log+":4" || c1.Was != "deny" || c1.WasCode != "no_permit" || c1.Now != "allow" || strings.Join(c1.NowPolicies, ",") != "storefront-refunds" {
		t.Errorf("second change: %+v", c1)
	}
	code, out, _ := runCLI(t, "replay", "--policies", candidateDir(t, candidatePolicies), log)
	for _, want := range []string{"6 decisions: 2 unchanged, 2 would change, 0 could not be replayed, 2 not decided by policy",
		"Action::\"ReadOrder\"\n  allow -> deny, no permit applies; was [storefront-reads-orders] (no_permit): 1",
		"Action::\"RefundOrder\"\n  deny -> allow by [storefront-refunds] (permit): 1"} {
		if code != exitChanged || !strings.Contains(out, want) {
			t.Errorf("exit %d, text lacks %q:\n%s", code, want, out)
		}
	}
}

// TestReplayUnchanged: the same policies replay every decision unchanged.
func TestReplayUnchanged(t *testing.T) {
	log := generateLog(t, exampleDir, generatedChecks)
	code, res, errOut := replayJSON(t, "--policies", exampleDir, log)
	if code != exitOK || res.Unchanged != 4 || len(res.Changed) != 0 {
		t.Fatalf("exit %d %s %+v", code, errOut, res)
	}
}

// TestReplayUnknown: lines that cannot be replayed faithfully are counted
// as unknown, never as unchanged, and replay exits 4.
func TestReplayUnknown(t *testing.T) {
	log := generateLog(t, exampleDir, generatedChecks[1:2]) // payments refund in prod
	b, _ := os.ReadFile(log)
	line := strings.TrimSpace(string(b))
	withheld := strings.Replace(strings.Replace(line, `"environment":"prod",`, "", 1),
		`"context_redacted":[]`, `"context_redacted":["environment"]`, 1)
	for name, tc := range map[string]struct{ line, reason string }{
		"withheld key a policy reads": {withheld, unknownRedacted},
		"unknown schema version":      {strings.Replace(line, `"schema_version":1`, `"schema_version":2`, 1), unknownSchema},
		"no schema version":           {strings.Replace(line, `"schema_version":1,`, ``, 1), unknownSchema},
		"no context":                  {strings.Replace(line, `"context":{`, `"context":{},"x":{`, 1), unknownContext},
		"bad resource":                {strings.Replace(line, `"resource":"Order::\"7\""`, `"resource":"7"`, 1), unknownRequest},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.line == line {
				t.Fatalf("line not edited: %s", line)
			}
			path := filepath.Join(t.TempDir(), "d.log")
			os.WriteFile(path, []byte(tc.line+"\n"), 0o600)
			code, res, errOut := replayJSON(t, "--policies", exampleDir, path)
			if code != exitUnknown || res.Unchanged != 0 || res.Unknown[tc.reason] == nil || res.Unknown[tc.reason].Count != 1 {
				t.Fatalf("exit %d %s %+v", code, errOut, res)
			}
		})
	}
}

// TestReplayBadInput: a malformed log, a missing file or bad --entities
// is an error naming where, exit 1.
func TestReplayBadInput(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.log")
	os.WriteFile(bad, []byte("{\"msg\":\"decision\",\"time\":\"2026-01-01T00:00:00Z\"}\nnot json\n"), 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--policies", exampleDir, bad}, bad + ":2: not a JSON object"},
		{[]string{"--policies", exampleDir, "/nonexistent.log"}, "/nonexistent.log"},
		{[]string{"--policies", exampleDir, "--entities", bad, bad}, "--entities"},
		{[]string{bad}, "--policies DIR is required"},
	} {
		code, _, errOut := runCLI(t, append([]string{"replay"}, tc.args...)...)
		if code != exitError || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errOut, tc.want)
		}
	}
}
