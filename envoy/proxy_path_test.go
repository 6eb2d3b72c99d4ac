package envoy

import (
	"context"
	"testing"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
)

// Only the operator's declaration (listen.proxy_normalizes_path) marks a
// gRPC request's path as normalised by Envoy; nothing in the request can.
func TestProxyNormalizedPathFromOptions(t *testing.T) {
	req := &authv3.CheckRequest{Attributes: &authv3.AttributeContext{Request: &authv3.AttributeContext_Request{
		Http: &authv3.AttributeContext_HttpRequest{Method: "GET", Path: "/a/../b",
			Headers: map[string]string{"x-tollgate-proxy-normalized-path": "true"}},
	}}}
	for _, declared := range []bool{false, true} {
		rec := &recorder{Decision: allowDecision()}
		if _, err := NewServer(rec, Options{ProxyNormalizesPath: declared}).Check(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if rec.Got.ProxyNormalizedPath != declared {
			t.Errorf("declared %v: request says %v", declared, rec.Got.ProxyNormalizedPath)
		}
	}
}
