package spire

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/policy"
)

// TestKubernetesExample loads the Kubernetes example's Tollgate config,
// manifest and policies with Tollgate's own loaders, and checks that every
// Kubernetes manifest is valid YAML (examples/envoy_config_test.go checks
// its envoy.yaml). The SPIRE example is started as written by TestRealSPIRE.
func TestKubernetesExample(t *testing.T) {
	dir := "../../examples/kubernetes"
	cfg, err := config.Load(filepath.Join(dir, "tollgate.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Identity.WorkloadAPI == nil || cfg.Listen.MTLS == nil {
		t.Fatal("the Kubernetes example must take bundles from the Workload API and require mTLS from Envoy")
	}
	if _, err := manifest.Load(filepath.Join(dir, "manifest.yaml")); err != nil {
		t.Fatal(err)
	}
	if _, err := policy.LoadDir(filepath.Join(dir, "policies"), policy.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"namespace.yaml", "deployment.yaml", "kustomization.yaml"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(f)
		for n := 0; ; n++ {
			var doc map[string]any
			if err := dec.Decode(&doc); err != nil {
				if errors.Is(err, io.EOF) && n > 0 {
					break
				}
				t.Fatalf("%s document %d: %v", name, n, err)
			}
			if doc["kind"] == nil {
				t.Errorf("%s document %d has no kind", name, n)
			}
		}
		f.Close()
	}
}
