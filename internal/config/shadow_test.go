package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const shadowBase = `
identity:
  trust_domains: [example.org]
  bundles: [{ trust_domain: example.org, x509_pem: bundle.pem }]
manifests: [manifest.yaml]
policy:
  dir: policies
`

func TestPolicyShadow(t *testing.T) {
	cfg, err := Parse("/etc/tollgate/c.yaml", []byte(shadowBase+"  shadow: { dir: candidate }\n"))
	if err != nil {
		t.Fatal(err)
	}
	sh := cfg.Policy.Shadow
	if sh == nil || sh.Dir != filepath.Join("/etc/tollgate", "candidate") || sh.ReloadInterval != 2*time.Second {
		t.Fatalf("shadow = %+v", sh)
	}
	cfg, err = Parse("/etc/tollgate/c.yaml", []byte(shadowBase+`  shadow:
    bundle: { url: "https://b.example/next.tar.gz", public_keys: [iam.pub], cache_dir: shadow-cache }
`))
	if err != nil {
		t.Fatal(err)
	}
	if b := cfg.Policy.Shadow.Bundle; b.CacheDir != "/etc/tollgate/shadow-cache" || b.PublicKeys[0] != "/etc/tollgate/iam.pub" ||
		b.Interval != 30*time.Second || b.OnStale != "deny" {
		t.Fatalf("shadow bundle = %+v", b)
	}
}

func TestPolicyShadowErrors(t *testing.T) {
	bundleEnforced := strings.Replace(shadowBase, "  dir: policies\n",
		"  bundle: { url: \"https://b.example/b.tar.gz\", public_keys: [iam.pub], cache_dir: cache }\n", 1)
	tests := []struct {
		name, base, shadow string
		want               []string
	}{
		{"neither", shadowBase, "  shadow: { reload_interval: 1s }\n", []string{"c.yaml:8:", "policy.shadow:", "set dir or bundle"}},
		{"both", shadowBase, "  shadow: { dir: x, bundle: { url: \"https://b/x\", public_keys: [k], cache_dir: c } }\n",
			[]string{"c.yaml:8:", "policy.shadow:", "not both"}},
		{"negative interval", shadowBase, "  shadow: { dir: x, reload_interval: -1s }\n",
			[]string{"policy.shadow.reload_interval", "negative"}},
		{"plain http", shadowBase, "  shadow:\n    bundle: { url: \"http://b/x\", public_keys: [k], cache_dir: c }\n",
			[]string{"c.yaml:9:", "policy.shadow.bundle.url", "https"}},
		{"unsigned", shadowBase, "  shadow:\n    bundle: { url: \"https://b/x\", cache_dir: c }\n",
			[]string{"policy.shadow.bundle.public_keys", "required"}},
		{"no cache", shadowBase, "  shadow:\n    bundle: { url: \"https://b/x\", public_keys: [k] }\n",
			[]string{"policy.shadow.bundle.cache_dir", "required"}},
		{"shared cache", bundleEnforced, "  shadow:\n    bundle: { url: \"https://b/x\", public_keys: [k], cache_dir: cache }\n",
			[]string{"c.yaml:9:", "policy.shadow.bundle.cache_dir", "policy.bundle.cache_dir"}},
		{"on_stale", shadowBase, "  shadow:\n    bundle: { url: \"https://b/x\", public_keys: [k], cache_dir: c, on_stale: maybe }\n",
			[]string{"policy.shadow.bundle.on_stale"}},
		{"negative start_timeout", shadowBase,
			"  shadow:\n    bundle: { url: \"https://b/x\", public_keys: [k], cache_dir: c, start_timeout: -1s }\n",
			[]string{"c.yaml:9:", "policy.shadow.bundle.start_timeout", "negative"}},
		{"unknown key", shadowBase, "  shadow: { dir: x, enforce: true }\n", []string{"c.yaml:8", "enforce"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.base+tt.shadow))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if tt.name != "unknown key" && !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}
