package envoy

import (
	"context"
	"testing"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
)

// TestHeaderNamesAreCaseInsensitive: header names are case-insensitive, so
// a CheckRequest whose plain headers map spells Envoy's partial-body mark,
// Content-Length or Authorization in another case must be read as Envoy's
// lower-case spelling. Otherwise a truncated MCP body is taken as whole.
func TestHeaderNamesAreCaseInsensitive(t *testing.T) {
	for name, http := range map[string]*authv3.AttributeContext_HttpRequest{
		"plain map": {Method: "POST", Path: "/mcp", RawBody: []byte(`{"a":1}`), Headers: map[string]string{
			"X-Envoy-Auth-Partial-Body": "true", "Content-Length": "100", "Authorization": "Bearer t",
		}},
		"both maps": {Method: "POST", Path: "/mcp", RawBody: []byte(`{"a":1}`),
			Headers:   map[string]string{"X-Envoy-Auth-Partial-Body": "true", "Content-Length": "100", "Authorization": "Bearer t"},
			HeaderMap: &corev3.HeaderMap{Headers: []*corev3.HeaderValue{{Key: "x-other", Value: "1"}}},
		},
	} {
		rec := &recorder{Decision: allowDecision()}
		client := dial(t, NewServer(rec, Options{}))
		req := &authv3.CheckRequest{Attributes: &authv3.AttributeContext{Request: &authv3.AttributeContext_Request{Http: http}}}
		if _, err := client.Check(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		g := rec.Got
		if !g.BodyTruncated || g.ContentLength != 100 || g.Credentials.Authorization != "Bearer t" {
			t.Errorf("%s: truncated=%v length=%d authorization=%q, want true, 100, %q",
				name, g.BodyTruncated, g.ContentLength, g.Credentials.Authorization, "Bearer t")
		}
	}
}
