package server

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/policy"
)

func policyDirConfig(t *testing.T, dir string, allowEmpty bool) *config.Config {
	t.Helper()
	return &config.Config{
		Policy: config.Policy{Dir: dir, ReloadInterval: time.Hour, SettleInterval: time.Millisecond,
			AllowEmpty: allowEmpty},
		Manifests: []string{filepath.Join("..", "..", "examples", "quickstart", "manifest.yaml")},
	}
}

// No policy version loaded means not ready; a policy directory with no
// policies is refused (and Tollgate does not start) unless allow_empty
// says it is intended, and then it denies everything.
func TestPolicySourceEmptyAndReadiness(t *testing.T) {
	if err := (&policySource{store: policy.NewStore(nil)}).ready(); err == nil {
		t.Fatal("ready with no policy snapshot loaded")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "entities.json"), []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	_, err := newPolicySource(context.Background(), policyDirConfig(t, dir, false), log, prometheus.NewRegistry())
	if !errors.Is(err, policy.ErrNoPolicies) {
		t.Fatalf("empty policy directory: %v, want ErrNoPolicies", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "p.cedar"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = newPolicySource(context.Background(), policyDirConfig(t, dir, true), log, prometheus.NewRegistry())
	if !errors.Is(err, policy.ErrEmptyFile) {
		t.Fatalf("empty .cedar file with allow_empty: %v, want ErrEmptyFile", err)
	}
	if err := os.Remove(filepath.Join(dir, "p.cedar")); err != nil {
		t.Fatal(err)
	}
	s, err := newPolicySource(context.Background(), policyDirConfig(t, dir, true), log, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	if err := s.ready(); err != nil || s.store.Current().Len() != 0 {
		t.Errorf("allow_empty: ready() = %v with %d policies", err, s.store.Current().Len())
	}
}
