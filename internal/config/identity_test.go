package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// spireConfig uses every identity feature of issue 3.
const spireConfig = `
listen:
  grpc: 127.0.0.1:9191
  mtls:
    allowed_ids: [spiffe://example.org/ns/edge/sa/envoy]
identity:
  trust_domains: [example.org, partner.org]
  workload_api:
    socket: unix:///run/spire/agent.sock
    start_timeout: 30s
    max_bundle_age: 5m
  federation:
    - trust_domain: partner.org
      url: https://bundle.partner.org:8443
      profile: https_spiffe
      endpoint_spiffe_id: spiffe://partner.org/spire/server
      refresh_interval: 5m
  xfcc:
    trusted_hops: [spiffe://example.org/ns/edge/sa/envoy]
    element: last
  jwt:
    audiences: [tollgate, orders]
    claims: [team]
policy:
  dir: policies
manifests: [manifest.yaml]
`

func TestParseIdentityFeatures(t *testing.T) {
	cfg, err := Parse("/etc/tollgate/tollgate.yaml", []byte(spireConfig))
	if err != nil {
		t.Fatal(err)
	}
	id := cfg.Identity
	if id.WorkloadAPI.MaxBundleAge != 5*time.Minute || id.Federation[0].Profile != "https_spiffe" ||
		id.XFCC.TrustedHops[0] != "spiffe://example.org/ns/edge/sa/envoy" || len(cfg.Listen.MTLS.AllowedIDs) != 1 {
		t.Fatalf("decoded %+v", id)
	}
}

func TestParseIdentityFeatureErrors(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"federated domain not trusted", "trust_domains: [example.org, partner.org]", "trust_domains: [example.org]", "identity.federation[0].trust_domain"},
		{"xfcc hops without mtls", "  mtls:\n    allowed_ids: [spiffe://example.org/ns/edge/sa/envoy]\n", "", "identity.xfcc.trusted_hops"},
		{"socket not a URL", "socket: unix:///run/spire/agent.sock", "socket: /run/spire/agent.sock", "identity.workload_api.socket"},
		{"negative refresh", "refresh_interval: 5m", "refresh_interval: -5m", "refresh_interval"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(spireConfig, tc.old) {
				t.Fatalf("fixture lacks %q", tc.old)
			}
			_, err := Parse("t.yaml", []byte(strings.Replace(spireConfig, tc.old, tc.new, 1)))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %s", err, tc.want)
			}
		})
	}
}

func TestFederationMaxBundleAge(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte(strings.Replace(spireConfig, "      refresh_interval: 5m", "      refresh_interval: 5m\n      max_bundle_age: 1h", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Identity.Federation[0].MaxBundleAge; got != time.Hour {
		t.Errorf("max_bundle_age = %v, want 1h", got)
	}
	for name, age := range map[string]string{"negative": "-1m", "not above refresh_interval": "5m"} {
		_, err := Parse("c.yaml", []byte(strings.Replace(spireConfig, "      refresh_interval: 5m", "      refresh_interval: 5m\n      max_bundle_age: "+age, 1)))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "identity.federation[0].max_bundle_age") ||
			!strings.Contains(err.Error(), "c.yaml:18:") {
			t.Errorf("%s: err = %v, want ErrInvalid naming c.yaml:18 and the key", name, err)
		}
	}
}
