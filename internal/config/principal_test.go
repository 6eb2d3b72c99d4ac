package config

import (
	"errors"
	"strings"
	"testing"
)

// principalConfig is a config trusting Envoy's source.principal on LISTEN,
// with EXTRA identity keys and MTLS under listen.
const principalConfig = `
listen:
  grpc: LISTEN
MTLS
identity:
  trust_domains: [example.org]
  workload_api: { socket: unix:///run/spire/agent.sock }
  trust_source_principal: true
EXTRA
policy:
  dir: policies
manifests: [manifest.yaml]
`

func principalCfg(listen, mtls, extra string) string {
	return strings.NewReplacer("LISTEN", listen, "MTLS", mtls, "EXTRA", extra).Replace(principalConfig)
}

// TestTrustSourcePrincipalNeedsAClosedListener: with trust_source_principal,
// whoever can call Check chooses the identity. A listener other hosts can
// reach is refused unless listen.mtls names the callers, or the operator
// acknowledges the risk by name.
func TestTrustSourcePrincipalNeedsAClosedListener(t *testing.T) {
	const named = "  mtls: { allowed_ids: [spiffe://example.org/envoy] }"
	const domain = "  mtls: { allowed_trust_domain: example.org }"
	const ack = "  trust_source_principal_from_any_caller: true"
	tests := []struct {
		name, listen, mtls, extra string
		ok                        bool
	}{
		{"loopback v4", "127.0.0.1:9191", "", "", true},
		{"loopback v6", "'[::1]:9191'", "", "", true},
		{"localhost", "localhost:9191", "", "", true},
		{"unix socket", "unix:///run/tollgate.sock", "", "", true},
		{"all interfaces", "0.0.0.0:9191", "", "", false},
		{"empty host", "':9191'", "", "", false},
		{"pod address", "10.1.2.3:9191", "", "", false},
		{"host name", "tollgate.internal:9191", "", "", false},
		{"mtls naming callers", "0.0.0.0:9191", named, "", true},
		{"mtls admitting a whole trust domain", "0.0.0.0:9191", domain, "", false},
		{"acknowledged", "0.0.0.0:9191", "", ack, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte(principalCfg(tt.listen, tt.mtls, tt.extra)))
			if tt.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if tt.extra == ack && len(cfg.Warnings) == 0 {
					t.Error("an acknowledged risk must still be warned about")
				}
				return
			}
			if err == nil {
				t.Fatal("accepted: anyone who reaches the listener could choose their identity")
			}
			for _, want := range []string{"c.yaml:8:", "identity.trust_source_principal", "trust_source_principal_from_any_caller"} {
				if !strings.Contains(err.Error(), want) || !errors.Is(err, ErrInvalid) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

// TestAcknowledgementAloneIsRefused: the acknowledgement without
// trust_source_principal, or spelled as anything but true, is an error.
func TestAcknowledgementAloneIsRefused(t *testing.T) {
	for _, src := range []string{
		strings.Replace(principalCfg("127.0.0.1:9191", "", "  trust_source_principal_from_any_caller: true"),
			"trust_source_principal: true", "trust_source_principal: false", 1),
		principalCfg("0.0.0.0:9191", "", "  trust_source_principal_from_any_caller: yes"),
		strings.Replace(principalCfg("127.0.0.1:9191", "", ""), "trust_source_principal: true", "trust_source_principal: on", 1),
	} {
		if _, err := Parse("c.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), "trust_source_principal") {
			t.Errorf("accepted or unclear (%v):\n%s", err, src)
		}
	}
}
