package forwardauth

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/envoy"
)

// TestDeniedNotificationHasNoJSONRPCBody: JSON-RPC never answers a
// notification (or a client's response), so their denial is only the HTTP
// or gRPC status, never an error object with "id": null.
func TestDeniedNotificationHasNoJSONRPCBody(t *testing.T) {
	for _, info := range []*authz.MCPInfo{
		{ID: "null", RPCCode: -32001, NoAnswer: true},
		{ID: "null", Batch: true, RPCCode: -32001, NoAnswer: true},
	} {
		d := authz.Decision{ID: "d", Outcome: authz.Forbidden, Code: authz.CodeNoPermit, Detail: "no policy allows the request", MCP: info}
		resp, err := envoy.NewServer(&recorder{Decision: d}, envoy.Options{}).Check(context.Background(), &authv3.CheckRequest{})
		if err != nil {
			t.Fatal(err)
		}
		den := resp.GetDeniedResponse()
		if den == nil || den.GetStatus().GetCode() != 403 || strings.Contains(den.GetBody(), "jsonrpc") {
			t.Errorf("batch=%v: gRPC mode answered %v %q, want 403 without a JSON-RPC body", info.Batch, den.GetStatus(), den.GetBody())
		}
		rec := &recorder{Decision: d}
		w := httptest.NewRecorder()
		newHTTP(t, StyleEnvoy, rec).ServeHTTP(w, checkReq("POST", "/mcp", "10.0.0.1:1", nil, `{"jsonrpc":"2.0","method":"notifications/initialized"}`))
		if w.Code != 403 || strings.Contains(w.Body.String(), "jsonrpc") {
			t.Errorf("batch=%v: HTTP mode answered %d %q, want 403 without a JSON-RPC body", info.Batch, w.Code, w.Body.String())
		}
	}
}
