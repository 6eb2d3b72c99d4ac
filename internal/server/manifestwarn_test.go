package server

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// serve, like validate, shows a manifest that maps its routes onto another
// manifest's action: IAM's permits for the orders team's ReadOrder would
// apply to the other team's wipe.
func TestPolicySourceLogsManifestWarnings(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.cedar"), []byte(`@id("p") permit (principal, action == Action::"ReadOrder", resource);`), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "other.yaml")
	if err := os.WriteFile(other, []byte("routes:\n  - name: wipe\n    match: { method: POST, path: /wipe }\n"+
		"    action: ReadOrder\n    resource: { type: Order, id: all }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := policyDirConfig(t, dir, false)
	cfg.Manifests = append(cfg.Manifests, other)
	var buf bytes.Buffer
	s, err := newPolicySource(context.Background(), cfg, slog.New(slog.NewJSONHandler(&buf, nil)), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.close() })
	for _, want := range []string{`"level":"WARN"`, `"msg":"manifest warning"`, `route \"wipe\"`, `ReadOrder`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, buf.String())
		}
	}
}
