package examples_test

import (
	"os"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestDelegationEnvoyRefusesUnderscoreHeaders: with allowed_headers, Envoy
// sends Tollgate x-user-token (or txn-token) but not x_user_token, which
// CGI-style tool servers (Rack, PHP, WSGI) read as the same header: a
// token Tollgate never saw would speak for the user upstream. Envoy passes
// underscores by default, so the delegation examples refuse them.
func TestDelegationEnvoyRefusesUnderscoreHeaders(t *testing.T) {
	for _, f := range []string{"delegation/envoy.yaml", "delegation/envoy-txn.yaml"} {
		t.Run(f, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var doc any
			if err := yaml.Unmarshal(raw, &doc); err != nil {
				t.Fatal(err)
			}
			hcms := 0
			walkYAML(doc, func(m map[string]any) {
				if m["@type"] != "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager" {
					return
				}
				hcms++
				opts, _ := m["common_http_protocol_options"].(map[string]any)
				if a := opts["headers_with_underscores_action"]; a != "REJECT_REQUEST" && a != "DROP_HEADER" {
					t.Errorf("http_connection_manager %v: headers_with_underscores_action is %v, want REJECT_REQUEST or DROP_HEADER", m["stat_prefix"], a)
				}
			})
			if hcms == 0 {
				t.Fatal("no http_connection_manager found")
			}
		})
	}
}

func walkYAML(v any, f func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		f(x)
		for _, c := range x {
			walkYAML(c, f)
		}
	case []any:
		for _, c := range x {
			walkYAML(c, f)
		}
	}
}
