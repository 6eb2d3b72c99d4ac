package main

import (
	"path/filepath"
	"strings"
	"testing"
)

const explainConfig = "testdata/explain/tollgate.yaml"

// Issue 15, mistake 3: check --offline could not say why not. explain (and
// check --offline --explain) takes the config's own policy source and
// shows near-miss permits with the failing condition and its values
// (secret-marked values redacted), the principal's ancestors, the nearest
// routes of a no_route, and the error and attribute of a forbid_error.
func TestMistake3Explain(t *testing.T) {
	payments := "spiffe://example.org/ns/pay/sa/payments"
	tests := []struct {
		name   string
		args   []string
		code   int
		want   []string
		absent []string
	}{
		{"near-miss permit, secret redacted", []string{"explain", "--config", explainConfig, "--spiffe-id", payments,
			"--method", "POST", "--path", "/orders/42/refund", "--ext", "environment=prod", "--ext", "ticket=SECRET-123"},
			exitDenied, []string{"code=no_permit", `principal's ancestors: [Org::"acme", Team::"payments"]`,
				`permit p.cedar:1 @id("payments-refund-in-prod") matched on scope, but its condition failed`,
				`when { context.ticket like "CHG-*" } is false`, "context.ticket = [redacted]"},
			[]string{"SECRET-123"}},
		{"forbid_error names the error and the attribute", []string{"check", "--offline", "--explain", "--config", explainConfig,
			"--spiffe-id", payments, "--method", "PUT", "--path", "/orders/42"},
			exitDenied, []string{"code=forbid_error", `@id("risk-gate") failed with an evaluation error: missing_attribute`,
				"context.risk_score = (absent)"}, nil},
		{"a forbid shows its conditions and values", []string{"explain", "--policies", exampleDir, "--config", exampleConfig,
			"--spiffe-id", payments, "--method", "POST", "--path", "/orders/7/refund", "--ext", "environment=dev"},
			exitDenied, []string{`forbid orders.cedar:14 @id("refunds-only-in-prod") denied it`,
				`its conditions: unless { context has environment && context.environment == "prod" }`,
				`context.environment = "dev"`}, nil},
		{"no_route shows the nearest routes", []string{"explain", "--config", explainConfig, "--spiffe-id", payments,
			"--method", "DELETE", "--path", "/orders/42"},
			exitDenied, []string{"code=no_route", `route "get-order": path matches /orders/{id}, but method DELETE is not one of [GET HEAD]`}, nil},
		{"unknown --ext is an error", []string{"explain", "--config", explainConfig, "--spiffe-id", payments,
			"--path", "/orders/42", "--ext", "riskscore=95"},
			exitError, []string{`context extension "riskscore" is read by no signal`, "did you mean risk_score?"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			all := out + errOut
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q", w)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(all, a) {
					t.Errorf("output shows %q", a)
				}
			}
			if t.Failed() {
				t.Log(all)
			}
		})
	}
}

// explain reads a bundle: what is deployed, with its version.
func TestExplainBundle(t *testing.T) {
	b := filepath.Join(t.TempDir(), "bundle.tar.gz")
	if code, o, e := runCLI(t, "bundle", "build", exampleDir, "-o", b); code != exitOK {
		t.Fatalf("build: %s%s", o, e)
	}
	code, out, errOut := runCLI(t, "explain", "--policies", b, "--config", exampleConfig,
		"--spiffe-id", "spiffe://example.org/ns/shop/sa/frontend", "--method", "POST", "--path", "/orders/7/refund",
		"--ext", "environment=prod")
	if code != exitDenied || !strings.Contains(out, "policy version: 2025-01.1") || !strings.Contains(out, "code=no_permit") ||
		!strings.Contains(out, "no permit's scope") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}
