package server

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/policy"
)

// serve refuses, like validate, a policy version whose forbid reads a
// context attribute Tollgate never sets (issue 15, mistake 1), and a
// version without a schema under policy.require_schema.
func TestPolicySourceRefusesWhatRequestsNeverHold(t *testing.T) {
	risk := []config.Signal{{Name: "risk_score", From: "context_extension", Key: "risk_score", Type: "long"}}
	tests := []struct {
		name    string
		cedar   string
		require bool
		want    error
	}{
		{"typo in a forbid", `@id("deny-high-risk") forbid (principal, action, resource) when { context has riskscore && context.riskscore >= 80 };`,
			false, policy.ErrNeverProduced},
		{"unknown action", `@id("a") forbid (principal, action == Action::"RefundOrdr", resource);`, false, policy.ErrNeverProduced},
		{"no schema required", `@id("ok") forbid (principal, action, resource) when { context has risk_score && context.risk_score >= 80 };`,
			true, policy.ErrNoSchema},
		{"fits", `@id("ok") forbid (principal, action, resource) when { context has risk_score && context.risk_score >= 80 };`,
			false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "p.cedar"), []byte(tc.cedar), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg := policyDirConfig(t, dir, false)
			cfg.Signals, cfg.Policy.RequireSchema = risk, tc.require
			s, err := newPolicySource(context.Background(), cfg, slog.New(slog.DiscardHandler), prometheus.NewRegistry())
			if err == nil {
				defer s.close()
			}
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("newPolicySource: %v, want %v", err, tc.want)
			}
		})
	}
}
