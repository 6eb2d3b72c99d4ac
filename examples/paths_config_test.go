package examples_test

import (
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"
)

// standIns are Tollgate configs that stand in for an Envoy config of
// another example (tollgate check plays that Envoy).
var standIns = map[string]string{"quickstart": "envoy/envoy.yaml"}

// TestProxyNormalizesPathPairs checks that listen.proxy_normalizes_path is
// set exactly where the Envoy in front normalises the path for the upstream
// (normalize_path and merge_slashes), so no example resolves a path that
// its upstream reads raw, and none refuses what its Envoy already cleaned.
func TestProxyNormalizesPathPairs(t *testing.T) {
	configs, err := filepath.Glob("*/tollgate.yaml")
	if err != nil || len(configs) == 0 {
		t.Fatal("no tollgate.yaml examples", err)
	}
	for _, cfg := range configs {
		dir := filepath.Dir(cfg)
		envoys, _ := filepath.Glob(filepath.Join(dir, "envoy*.yaml"))
		if s, ok := standIns[dir]; ok {
			envoys = []string{s}
		}
		normalising := len(envoys) > 0
		for _, e := range envoys {
			list := hcms(readYAML(t, e))
			if len(list) == 0 {
				t.Fatalf("%s: no HttpConnectionManager found", e)
			}
			for _, hcm := range list {
				if hcm["normalize_path"] != true || hcm["merge_slashes"] != true {
					normalising = false
				}
			}
		}
		listen, _ := readYAML(t, cfg).(map[string]any)["listen"].(map[string]any)
		if declared := listen["proxy_normalizes_path"] == true; declared != normalising {
			t.Errorf("%s: listen.proxy_normalizes_path is %v, but its Envoy (%v) normalises: %v", cfg, declared, envoys, normalising)
		}
	}
}

func readYAML(t *testing.T, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// hcms lists every HttpConnectionManager (a mapping with http_filters).
func hcms(v any) []map[string]any {
	var out []map[string]any
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["http_filters"]; ok {
			out = append(out, x)
		}
		for _, c := range x {
			out = append(out, hcms(c)...)
		}
	case []any:
		for _, c := range x {
			out = append(out, hcms(c)...)
		}
	}
	return out
}
