package spire

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// variant is how a Tollgate under test differs from examples/spire.
type variant string

const (
	// fromWorkloadAPI is examples/spire/tollgate.yaml as written.
	fromWorkloadAPI variant = "workload_api"
	// fromFile replaces workload_api with a SPIFFE bundle file exported by
	// `spire-server bundle show -format spiffe`.
	fromFile variant = "file"
	// mtlsListener adds listen.mtls: Tollgate serves its own SVID from the
	// Workload API and admits only the workload's SPIFFE ID.
	mtlsListener variant = "mtls"
)

type tollgate struct {
	*harness.Proc
	source variant
}

// startTollgate starts tollgate from examples/spire (tollgate.yaml, manifest,
// policies) with only addresses, paths and the variant's change, and waits
// until it is ready.
func startTollgate(t *testing.T, s *spire, v variant) *tollgate {
	t.Helper()
	tg := launchTollgate(t, s, v)
	tg.WaitReady()
	return tg
}

// launchTollgate is startTollgate without waiting for readiness.
func launchTollgate(t *testing.T, s *spire, v variant) *tollgate {
	t.Helper()
	dir := exampleCopy(t)
	cfg := tollgateConfig(t, s.root)
	switch v {
	case mtlsListener:
		cfg = editConfig(t, cfg, func(m map[string]any) {
			m["listen"].(map[string]any)["mtls"] = map[string]any{"allowed_ids": []any{frontendID}}
		})
	case fromFile:
		bundle, err := s.serverCmd("bundle", "show", "-format", "spiffe")
		if err != nil {
			t.Fatal(err)
		}
		harness.WriteFile(t, dir, "bundle.json", []byte(bundle))
		cfg = withFileBundle(t, cfg, "bundle.json")
	}
	return &tollgate{Proc: startConfig(t, dir, cfg), source: v}
}

// exampleCopy copies the example's manifest and policies into a temp dir.
func exampleCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	harness.CopyDir(t, filepath.Join(exampleDir, "policies"), filepath.Join(dir, "policies"))
	b, err := os.ReadFile(filepath.Join(exampleDir, "manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "manifest.yaml", b)
	return dir
}

// startConfig starts tollgate in dir with cfg, on free addresses.
func startConfig(t *testing.T, dir, cfg string) *harness.Proc {
	t.Helper()
	cfg = strings.NewReplacer("127.0.0.1:9191", `"{{GRPC}}"`, "127.0.0.1:9192", `"{{ADMIN}}"`).Replace(cfg)
	return harness.Start(t, dir, cfg)
}

// editConfig applies edit to the YAML document cfg.
func editConfig(t *testing.T, cfg string, edit func(map[string]any)) string {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte(cfg), &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := yaml.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// tollgateConfig is examples/spire/tollgate.yaml pointed at root.
func tollgateConfig(t *testing.T, root string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(exampleDir, "tollgate.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, want := range []string{exampleRoot, "127.0.0.1:9191", "127.0.0.1:9192"} {
		if !strings.Contains(text, want) {
			t.Fatalf("examples/spire/tollgate.yaml no longer contains %q: update the test's template", want)
		}
	}
	return strings.ReplaceAll(text, exampleRoot, root)
}

// withFileBundle swaps identity.workload_api for a SPIFFE bundle file.
func withFileBundle(t *testing.T, cfg, file string) string {
	t.Helper()
	return editConfig(t, cfg, func(m map[string]any) {
		id := workloadAPIOf(t, m)
		delete(id, "workload_api")
		id["bundles"] = []any{map[string]any{"trust_domain": "example.org", "spiffe_bundle": file}}
	})
}

// workloadAPIOf returns the identity section of m, which must have a
// workload_api.
func workloadAPIOf(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	id, ok := m["identity"].(map[string]any)
	if !ok || id["workload_api"] == nil {
		t.Fatal("examples/spire/tollgate.yaml has no identity.workload_api")
	}
	return id
}

// ready reports whether /readyz answers 200.
func (tg *tollgate) ready() error {
	resp, err := http.Get("http://" + tg.AdminAddr + "/readyz")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("/readyz: %s", resp.Status)
	}
	return nil
}

// bundleAge reads tollgate_identity_bundle_age_seconds: how long ago the
// last update arrived from the Workload API.
func (tg *tollgate) bundleAge() (time.Duration, error) {
	const name = "tollgate_identity_bundle_age_seconds "
	sc := bufio.NewScanner(strings.NewReader(tg.Metrics()))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return 0, fmt.Errorf("%s%q: %w", name, v, err)
			}
			return time.Duration(f * float64(time.Second)), nil
		}
	}
	return 0, fmt.Errorf("%s: metric not exported", tg.source)
}
