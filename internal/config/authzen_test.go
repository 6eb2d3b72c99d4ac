package config

import (
	"errors"
	"strings"
	"testing"
)

const authzenBase = `listen:
  grpc: 127.0.0.1:9191
identity:
  trust_domains: [example.org]
WORKLOAD
policy:
  dir: policies
manifests: [manifest.yaml]
AUTHZEN`

// TestAuthZEN: the authzen section is off by default, and each bad key is
// an error naming the file, line and key.
func TestAuthZEN(t *testing.T) {
	const wl = "  workload_api: { socket: unix:///run/spire/agent.sock }"
	const files = "  bundles: [{trust_domain: example.org, x509_pem: b.pem}]"
	const good = `authzen:
  listen: 0.0.0.0:8443
  allowed_callers: [spiffe://example.org/ns/mcp/sa/gateway]
  policy_decision_point: https://tollgate.example.org:8443
`
	tests := []struct {
		name, workload, authzen string
		want                    string // "" = valid; else "c.yaml:LINE: key"
	}{
		{"off", files, "", ""},
		{"on", wl, good, ""},
		{"limits", wl, good + "  max_body_bytes: 65536\n  max_evaluations: 10\n", ""},
		{"no workload api", files, good, "c.yaml:10: authzen: needs identity.workload_api"},
		{"no listen", wl, strings.Replace(good, "  listen: 0.0.0.0:8443\n", "", 1), "c.yaml:10: authzen.listen: required"},
		{"no callers", wl, strings.Replace(good, "[spiffe://example.org/ns/mcp/sa/gateway]", "[]", 1), "c.yaml:11: authzen.allowed_callers: required"},
		{"bad caller", wl, strings.Replace(good, "spiffe://example.org/ns/mcp/sa/gateway", "example.org/gw", 1), "c.yaml:11: authzen.allowed_callers[0]: not a SPIFFE ID"},
		{"http pdp", wl, strings.Replace(good, "https://", "http://", 1), "c.yaml:12: authzen.policy_decision_point: must be an https URL"},
		{"pdp with query", wl, strings.Replace(good, "org:8443", "org:8443/?a=b", 1), "c.yaml:12: authzen.policy_decision_point"},
		{"negative limit", wl, good + "  max_evaluations: -1\n", "authzen: max_body_bytes and max_evaluations must not be negative"},
		{"unknown key", wl, good + "  allowed_ids: [spiffe://example.org/x]\n", "allowed_ids"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.NewReplacer("WORKLOAD", tt.workload, "AUTHZEN", tt.authzen).Replace(authzenBase)
			cfg, err := Parse("c.yaml", []byte(text))
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if (tt.authzen == "") != (cfg.AuthZEN == nil) {
					t.Fatalf("authzen %+v", cfg.AuthZEN)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want error ~%q, got %v", tt.want, err)
			}
			if tt.name != "unknown key" && !errors.Is(err, ErrInvalid) {
				t.Errorf("not ErrInvalid: %v", err)
			}
		})
	}
}
