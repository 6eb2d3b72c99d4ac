package config

import (
	"errors"
	"strings"
	"testing"
)

const bundleGood = `
identity:
  trust_domains: [example.org]
  bundles:
    - trust_domain: example.org
      x509_pem: bundle.pem
policy:
  bundle:
    url: https://bundles.example/bundle.tar.gz
    public_keys: [iam.pub]
    cache_dir: cache
manifests: [manifest.yaml]
`

// TestPolicyBundleRequiresHTTPS: a plain http:// bundle URL lets anyone on
// the path replay or withhold bundles; it is refused unless opted into.
func TestPolicyBundleRequiresHTTPS(t *testing.T) {
	if _, err := Parse("c.yaml", []byte(bundleGood)); err != nil {
		t.Fatalf("https bundle config: %v", err)
	}
	plain := strings.Replace(bundleGood, "https://", "http://", 1)
	_, err := Parse("c.yaml", []byte(plain))
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("plain http bundle URL: err = %v, want ErrInvalid", err)
	}
	for _, w := range []string{"c.yaml:9:", "policy.bundle.url", "allow_insecure_http"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
}

func TestPolicyBundleAllowInsecureHTTP(t *testing.T) {
	plain := strings.Replace(bundleGood, "https://", "http://", 1)
	opted := strings.Replace(plain, "    cache_dir: cache", "    cache_dir: cache\n    allow_insecure_http: true", 1)
	cfg, err := Parse("c.yaml", []byte(opted))
	if err != nil {
		t.Fatalf("http with allow_insecure_http: %v", err)
	}
	if !cfg.Policy.Bundle.AllowInsecureHTTP {
		t.Error("allow_insecure_http not decoded")
	}
	if _, err := Parse("c.yaml", []byte(strings.Replace(bundleGood, "https://", "ftp://", 1))); !errors.Is(err, ErrInvalid) {
		t.Errorf("ftp bundle URL: err = %v, want ErrInvalid", err)
	}
}

// TestPolicyBundleOCI: an oci:// registry reference is a bundle location;
// one without a registry host or a tag is refused at its line.
func TestPolicyBundleOCI(t *testing.T) {
	oci := strings.Replace(bundleGood, "https://bundles.example/bundle.tar.gz", "oci://registry.example:5000/iam/policy:prod", 1)
	cfg, err := Parse("c.yaml", []byte(oci))
	if err != nil {
		t.Fatalf("oci bundle config: %v", err)
	}
	if cfg.Policy.Bundle.URL != "oci://registry.example:5000/iam/policy:prod" {
		t.Errorf("url = %q", cfg.Policy.Bundle.URL)
	}
	for _, bad := range []string{"oci://iam/policy:prod", "oci://registry.example/iam/policy", "oci://registry.example/IAM:x"} {
		_, err := Parse("c.yaml", []byte(strings.Replace(oci, "oci://registry.example:5000/iam/policy:prod", bad, 1)))
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("%s: err = %v, want ErrInvalid", bad, err)
		}
		for _, w := range []string{"c.yaml:9:", "policy.bundle.url", "oci://"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", bad, err, w)
			}
		}
	}
}
