package examples_test

import (
	"os"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestDelegationEnvoyHeaders: with allowed_headers, Envoy
// sends Tollgate x-user-token (or txn-token) but not x_user_token, which
// CGI-style tool servers (Rack, PHP, WSGI) read as the same header: a
// token Tollgate never saw would speak for the user upstream. Envoy passes
// underscores by default, so the delegation examples refuse them.
func TestDelegationEnvoyHeaders(t *testing.T) {
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
			checkAllowedHeaders(t, doc)
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

// checkAllowedHeaders: an ext_authz filter with allowed_headers sends
// Tollgate only those, so its method and URL override refusals
// (docs/security.md, "request path") are blind unless it lists the
// override headers too: X-HTTP-Method-Override: DELETE on a POST would
// reach the tool server, which may honour it, unseen.
func checkAllowedHeaders(t *testing.T, doc any) {
	t.Helper()
	walkYAML(doc, func(m map[string]any) {
		ah, ok := m["allowed_headers"].(map[string]any)
		if !ok {
			return
		}
		listed := map[string]bool{}
		pats, _ := ah["patterns"].([]any)
		for _, p := range pats {
			if pm, ok := p.(map[string]any); ok {
				if e, ok := pm["exact"].(string); ok {
					listed[e] = true
				}
			}
		}
		for _, h := range []string{"x-http-method-override", "x-http-method", "x-method-override", "x-original-url", "x-rewrite-url"} {
			if !listed[h] {
				t.Errorf("ext_authz allowed_headers lacks %s: Tollgate cannot refuse an override it is not sent", h)
			}
		}
	})
}
