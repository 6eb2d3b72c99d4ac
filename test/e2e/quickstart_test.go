package e2e

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// TestQuickstartAsWritten runs the quickstart config and the check commands
// from examples/quickstart/README.md (on free ports) and asserts what the
// README says they print.
func TestQuickstartAsWritten(t *testing.T) {
	dir := t.TempDir()
	harness.CopyDir(t, "../../examples/quickstart", dir)
	cfg, err := os.ReadFile("../../examples/quickstart/tollgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	config := strings.NewReplacer("127.0.0.1:9191", "{{GRPC}}", "127.0.0.1:9192", "{{ADMIN}}").Replace(string(cfg))
	p := harness.Start(t, dir, config)
	p.WaitReady()
	tests := []struct {
		args     string
		exit     int
		contains []string
	}{
		{"--spiffe-id spiffe://example.org/ns/shop/sa/frontend --path /orders/42", 0,
			[]string{"ALLOW", `action=Action::"ReadOrder"`, "policies=[storefront-reads-orders]"}},
		{"--spiffe-id spiffe://example.org/ns/pay/sa/payments --method POST --path /orders/42/refund", 3,
			[]string{"DENY 403", "code=forbid", "policies=[refunds-only-in-prod]"}},
		{"--spiffe-id spiffe://example.org/ns/pay/sa/payments --method POST --path /orders/42/refund --ext environment=prod", 0,
			[]string{"ALLOW", "policies=[payments-manages-orders]"}},
		{"--spiffe-id spiffe://example.org/ns/pay/sa/payments --path /orders/42 --ext risk_score=95", 3,
			[]string{"DENY 403", "policies=[deny-high-risk]"}},
		{"--spiffe-id spiffe://example.org/ns/misc/sa/x --path /public/../orders/7", 3,
			[]string{"DENY 403", "code=no_permit", `action=Action::"ReadOrder"`}},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			cmd := exec.Command(harness.Binary, append([]string{"check", "--addr", p.GRPCAddr}, strings.Fields(tt.args)...)...)
			out, err := cmd.CombinedOutput()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.exit {
				t.Errorf("exit %d, want %d\n%s", code, tt.exit, out)
			}
			for _, c := range tt.contains {
				if !strings.Contains(string(out), c) {
					t.Errorf("output lacks %q:\n%s", c, out)
				}
			}
		})
	}
}
