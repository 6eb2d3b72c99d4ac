package config

import (
	"strings"
	"testing"
	"time"
)

// TestBundleStartTimeout: policy.bundle.start_timeout defaults to 30s, is
// taken as written, and a negative one is refused naming key and line.
func TestBundleStartTimeout(t *testing.T) {
	bundle := func(extra string) []byte {
		return []byte(strings.Replace(shadowBase, "  dir: policies\n",
			"  bundle: { url: \"https://b.example/b.tar.gz\", public_keys: [iam.pub], cache_dir: cache"+extra+" }\n", 1))
	}
	for extra, want := range map[string]time.Duration{"": 30 * time.Second, ", start_timeout: 2m": 2 * time.Minute} {
		cfg, err := Parse("c.yaml", bundle(extra))
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.Policy.Bundle.StartTimeout; got != want {
			t.Errorf("%q: start_timeout = %s, want %s", extra, got, want)
		}
	}
	_, err := Parse("c.yaml", bundle(", start_timeout: -1s"))
	if err == nil || !strings.Contains(err.Error(), "c.yaml:7:") || !strings.Contains(err.Error(), "policy.bundle.start_timeout") {
		t.Fatalf("negative start_timeout: %v", err)
	}
}
