package examples_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// sharesMCP are the examples that put a proxy in front of examples/mcp and
// deliberately read its manifest, policies and bundle.
var sharesMCP = map[string]bool{"nginx/tollgate.yaml": true, "caddy/tollgate.yaml": true}

// TestExamplesSelfContained: each example's tollgate.yaml names files only
// inside its own directory, so it runs as written when copied on its own.
func TestExamplesSelfContained(t *testing.T) {
	configs, err := filepath.Glob("*/tollgate.yaml")
	if err != nil || len(configs) == 0 {
		t.Fatalf("no example configs: %v", err)
	}
	for _, c := range configs {
		if sharesMCP[c] {
			continue
		}
		data, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, "../") {
				t.Errorf("%s:%d reaches outside its example: %s", c, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// listenPorts is listen.grpc and listen.admin of an example's tollgate.yaml.
func listenPorts(t *testing.T, path string) []string {
	t.Helper()
	var cfg struct {
		Listen struct {
			GRPC  string `yaml:"grpc"`
			Admin string `yaml:"admin"`
		} `yaml:"listen"`
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	return []string{cfg.Listen.GRPC, cfg.Listen.Admin}
}

// TestMCPExampleOwnPorts: examples/mcp can run next to the quickstart, and
// its Envoy points at its own Tollgate.
func TestMCPExampleOwnPorts(t *testing.T) {
	quick := listenPorts(t, "quickstart/tollgate.yaml")
	mcp := listenPorts(t, "mcp/tollgate.yaml")
	for _, q := range quick {
		for _, m := range mcp {
			if port(q) == port(m) {
				t.Errorf("examples/mcp listens on %s, as the quickstart does", m)
			}
		}
	}
	envoy, err := os.ReadFile("mcp/envoy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if want := "port_value: " + port(mcp[0]) + " "; !strings.Contains(string(envoy), want) {
		t.Errorf("mcp/envoy.yaml does not send ext_authz to Tollgate's grpc port %s", mcp[0])
	}
	readme, err := os.ReadFile("mcp/README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "--addr "+mcp[0]) {
		t.Errorf("mcp/README.md's check commands do not name --addr %s", mcp[0])
	}
}

func port(addr string) string { return addr[strings.LastIndex(addr, ":")+1:] }

// TestKubernetesExampleCreatesNamespace: kubectl apply -k creates the
// namespace it deploys into.
func TestKubernetesExampleCreatesNamespace(t *testing.T) {
	var kust struct {
		Namespace string   `yaml:"namespace"`
		Resources []string `yaml:"resources"`
	}
	data, err := os.ReadFile("kubernetes/kustomization.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &kust); err != nil {
		t.Fatal(err)
	}
	for _, r := range kust.Resources {
		raw, err := os.ReadFile(filepath.Join("kubernetes", r))
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		for {
			var obj struct {
				Kind     string `yaml:"kind"`
				Metadata struct {
					Name string `yaml:"name"`
				} `yaml:"metadata"`
			}
			if err := dec.Decode(&obj); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", r, err)
			}
			if obj.Kind == "Namespace" && obj.Metadata.Name == kust.Namespace {
				return
			}
		}
	}
	t.Fatalf("no resource of kubernetes/kustomization.yaml creates namespace %q", kust.Namespace)
}

// imageRef is a container image reference in an example's YAML or README.
var imageRef = regexp.MustCompile(`image:\s*([^\s#]+)`)

// TestExampleImagesPinned: no example runs a floating tag (latest,
// v1.34-latest), and Tollgate's image is the version the chart and the
// image build name (deploy/helm/tollgate's appVersion).
func TestExampleImagesPinned(t *testing.T) {
	var chart struct {
		AppVersion string `yaml:"appVersion"`
	}
	data, err := os.ReadFile("../deploy/helm/tollgate/Chart.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &chart); err != nil || chart.AppVersion == "" {
		t.Fatalf("Chart.yaml appVersion: %v", err)
	}
	files, _ := filepath.Glob("*/*.yaml")
	mds, _ := filepath.Glob("*/README.md")
	seen := 0
	for _, f := range append(files, mds...) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range imageRef.FindAllStringSubmatch(string(raw), -1) {
			ref := m[1]
			if strings.HasSuffix(ref, "latest") || !strings.ContainsAny(ref, ":@") {
				t.Errorf("%s: image %s floats; pin a version or a digest", f, ref)
			}
			if name, tag, _ := strings.Cut(ref, ":"); name == "ghcr.io/tollgate-authz/tollgate" {
				seen++
				if tag != chart.AppVersion {
					t.Errorf("%s: Tollgate image tag %s, want the chart's appVersion %s", f, tag, chart.AppVersion)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("no example names Tollgate's image")
	}
}
