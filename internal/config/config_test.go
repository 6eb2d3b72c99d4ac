package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const good = `
listen:
  grpc: 127.0.0.1:9191
  admin: 127.0.0.1:9192
identity:
  trust_domains: [example.org]
  bundles:
    - trust_domain: example.org
      x509_pem: bundle.pem
  jwt:
    audiences: [tollgate]
policy:
  dir: policies
  reload_interval: 1s
manifests: [manifest.yaml]
signals:
  - name: environment
    from: context_extension
    key: environment
`

func TestParseGood(t *testing.T) {
	cfg, err := Parse("/etc/tollgate/tollgate.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Policy.Dir != "/etc/tollgate/policies" {
		t.Errorf("policy dir not resolved against the config file: %q", cfg.Policy.Dir)
	}
	if cfg.Manifests[0] != filepath.Join("/etc/tollgate", "manifest.yaml") {
		t.Errorf("manifest = %q", cfg.Manifests[0])
	}
	if cfg.Policy.ReloadInterval != time.Second || cfg.Shutdown != 15*time.Second {
		t.Errorf("durations: %v %v", cfg.Policy.ReloadInterval, cfg.Shutdown)
	}
	if cfg.Signals[0].Type != "string" {
		t.Errorf("signal type default = %q", cfg.Signals[0].Type)
	}
	if cfg.Runtime.MemoryHeadroom() != DefaultMemoryHeadroomMiB<<20 {
		t.Errorf("memory headroom default = %d", cfg.Runtime.MemoryHeadroom())
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want []string // substrings of the error
	}{
		{"unknown key", func(s string) string { return strings.Replace(s, "  reload_interval", "  reload_intervall", 1) },
			[]string{"c.yaml:14:", `unknown key "reload_intervall"`}},
		{"wrong type", func(s string) string { return strings.Replace(s, "reload_interval: 1s", "reload_interval: soon", 1) },
			[]string{"c.yaml:14:"}},
		{"empty audiences", func(s string) string { return strings.Replace(s, "audiences: [tollgate]", "audiences: []", 1) },
			[]string{"c.yaml:11:", "identity.jwt.audiences", "audience"}},
		{"bad trust domain", func(s string) string {
			return strings.Replace(s, "trust_domains: [example.org]", "trust_domains: [Bad Domain]", 1)
		},
			[]string{"c.yaml:6:", "identity.trust_domains[0]"}},
		{"no manifests", func(s string) string { return strings.Replace(s, "manifests: [manifest.yaml]", "", 1) },
			[]string{"manifests", "at least one"}},
		{"bad signal source", func(s string) string { return strings.Replace(s, "from: context_extension", "from: cookie", 1) },
			[]string{"c.yaml:18:", "signals[0].from"}},
		{"bad yaml", func(s string) string { return s + "\n  - : [" },
			[]string{"c.yaml:"}},
		{"xfcc without trusted hops", func(s string) string {
			return strings.Replace(s, "  jwt:", "  xfcc:\n    element: last\n  jwt:", 1)
		}, []string{"identity.xfcc", "trusted_hops"}},
		{"memory headroom too small", func(s string) string { return s + "runtime:\n  memory_headroom_mib: 1\n" },
			[]string{"c.yaml:21:", "runtime.memory_headroom_mib", "between 4 and 65536"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.edit(good)))
			if err == nil {
				t.Fatal("expected an error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	if _, err := Parse("e.yaml", nil); err == nil || !strings.Contains(err.Error(), "e.yaml") {
		t.Fatalf("err = %v", err)
	}
}
