package config

import (
	"strings"
	"testing"
)

// TestUnknownKeySuggests: an unknown key names the key it was probably
// meant to be, in its own section.
func TestUnknownKeySuggests(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{"  reload_interval", "  reload_intervall", "did you mean reload_interval?"},
		{"  trust_domains:", "  trust_domain:", "did you mean trust_domains?"},
		{"      x509_pem:", "      x509pem:", "did you mean x509_pem?"},
		{"listen:", "lisen:", "did you mean listen?"},
	}
	for _, tt := range tests {
		_, err := Parse("c.yaml", []byte(strings.Replace(good, tt.from, tt.to, 1)))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.to, err, tt.want)
		}
	}
}

const xfccConfig = `
listen: { grpc: 127.0.0.1:9191 }
identity:
  trust_domains: [example.org]
  bundles: [{ trust_domain: example.org, x509_pem: bundle.pem }]
  xfcc:
    KEYS
policy: { dir: policies }
manifests: [manifest.yaml]
`

// TestTrustedAddressesIsDeprecated: identity.xfcc.trusted_proxies is the
// one name for "addresses we trust to forward" (as http_authz); the old
// trusted_addresses still loads, with a warning naming file, line and the
// new key. Both at once is an error.
func TestTrustedAddressesIsDeprecated(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte(strings.Replace(xfccConfig, "KEYS", "trusted_proxies: [10.0.0.0/8]", 1)))
	if err != nil {
		t.Fatalf("trusted_proxies: %v", err)
	}
	if len(cfg.Identity.XFCC.TrustedAddresses) != 1 || len(cfg.Warnings) != 0 {
		t.Fatalf("trusted_proxies: %+v %v", cfg.Identity.XFCC, cfg.Warnings)
	}
	cfg, err = Parse("c.yaml", []byte(strings.Replace(xfccConfig, "KEYS", "trusted_addresses: [10.0.0.0/8]", 1)))
	if err != nil {
		t.Fatalf("trusted_addresses: %v", err)
	}
	if len(cfg.Identity.XFCC.TrustedAddresses) != 1 {
		t.Fatalf("trusted_addresses not carried over: %+v", cfg.Identity.XFCC)
	}
	if len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "c.yaml:7:") ||
		!strings.Contains(cfg.Warnings[0], "deprecated") || !strings.Contains(cfg.Warnings[0], "trusted_proxies") {
		t.Errorf("warnings = %q", cfg.Warnings)
	}
	_, err = Parse("c.yaml", []byte(strings.Replace(xfccConfig, "KEYS", "trusted_addresses: [10.0.0.0/8]\n    trusted_proxies: [10.0.0.0/8]", 1)))
	if err == nil || !strings.Contains(err.Error(), "identity.xfcc.trusted_addresses") {
		t.Errorf("both keys: err = %v", err)
	}
}
