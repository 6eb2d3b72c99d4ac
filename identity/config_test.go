package identity

import (
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

func TestNewVerifierConfigErrors(t *testing.T) {
	td := []spiffeid.TrustDomain{spiffeid.RequireTrustDomainFromString("example.org")}
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no trust domains", Config{X509Bundles: x509bundle.NewSet()}},
		{"zero trust domain", Config{X509Bundles: x509bundle.NewSet(), TrustDomains: []spiffeid.TrustDomain{{}}}},
		{"no source enabled", Config{TrustDomains: td}},
		{"JWT bundles without audiences", Config{JWTBundles: jwtbundle.NewSet(), TrustDomains: td}},
		{"empty audience", Config{JWTBundles: jwtbundle.NewSet(), TrustDomains: td, JWTAudiences: []string{""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := NewVerifier(tc.cfg)
			if !errors.Is(err, ErrInvalidConfig) || v != nil {
				t.Fatalf("NewVerifier = %v, %v; want ErrInvalidConfig", v, err)
			}
		})
	}
}

func TestNewVerifierDuplicateRegistration(t *testing.T) {
	reg := prometheus.NewRegistry()
	cfg := Config{
		TrustSourcePrincipal: true,
		TrustDomains:         []spiffeid.TrustDomain{spiffeid.RequireTrustDomainFromString("example.org")},
		Registerer:           reg,
	}
	if _, err := NewVerifier(cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := NewVerifier(cfg); err == nil {
		t.Fatal("second registration on the same registry succeeded")
	}
}

func TestMetricsCountOutcomes(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.TrustSourcePrincipal = true })
	_, _ = e.verify(Credentials{SourcePrincipal: "spiffe://example.org/a"})
	_, _ = e.verify(Credentials{SourcePrincipal: "spiffe://other.org/a"})
	_, _ = e.verify(Credentials{})
	tests := []struct {
		name   string
		metric string
		labels map[string]string
		want   float64
	}{
		{"principal ok", "tollgate_identity_verifications_total", map[string]string{"source": "principal", "result": "ok"}, 1},
		{"principal error", "tollgate_identity_verifications_total", map[string]string{"source": "principal", "result": "error"}, 1},
		{"untrusted reason", "tollgate_identity_failures_total", map[string]string{"source": "principal", "reason": "untrusted_domain"}, 1},
		{"missing reason", "tollgate_identity_failures_total", map[string]string{"source": "none", "reason": "missing"}, 1},
		{"pre-declared zero", "tollgate_identity_failures_total", map[string]string{"source": "jwt", "reason": "unsupported_alg"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := e.counter(t, tc.metric, tc.labels); got != tc.want {
				t.Fatalf("%s%v = %v, want %v", tc.metric, tc.labels, got, tc.want)
			}
		})
	}
}
