package envoy

import (
	"context"
	"net/http/httptest"
	"testing"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"google.golang.org/grpc/codes"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
)

// caddyCheck is a well-formed Caddy forward_auth check request.
func caddyCheck() map[string]string {
	return map[string]string{"X-Forwarded-Method": "GET", "X-Forwarded-Uri": "/orders/1"}
}

// A Decision whose Outcome was never set is a denial, even when it names a
// verified identity: the zero Outcome must not be Allow.
func TestZeroOutcomeDenies(t *testing.T) {
	id := &identity.Identity{ID: spiffeid.RequireFromString("spiffe://example.org/web")}
	tests := map[string]authz.Decision{
		"zero decision":            {},
		"identity, no outcome":     {ID: "d", Identity: id, Code: "permit"},
		"zero outcome, code unset": {ID: "d", Identity: id},
	}
	for name, d := range tests {
		t.Run(name+"/grpc", func(t *testing.T) {
			resp, err := dial(t, NewServer(&recorder{decision: d}, Options{})).Check(context.Background(), &authv3.CheckRequest{})
			if err != nil {
				t.Fatalf("a denial must be a CheckResponse: %v", err)
			}
			if resp.GetOkResponse() != nil || resp.GetStatus().GetCode() == int32(codes.OK) || resp.GetDeniedResponse() == nil {
				t.Fatalf("zero outcome allowed: %v", resp)
			}
		})
		t.Run(name+"/http", func(t *testing.T) {
			for _, style := range []string{StyleEnvoy, StyleNginx, StyleCaddy, StyleTraefik} {
				w := httptest.NewRecorder()
				newHTTP(t, style, &recorder{decision: d}).ServeHTTP(w, checkReq("GET", "/orders/1", "10.0.0.1:1",
					map[string]string{"X-Forwarded-Method": "GET", "X-Forwarded-Uri": "/orders/1", "X-Original-Method": "GET", "X-Original-Uri": "/orders/1"}, ""))
				if w.Code < 400 || w.Header().Get(HeaderSPIFFEID) != "" || w.Header().Get("X-Tollgate-Code") == "" {
					t.Fatalf("%s: zero outcome answered %d %v", style, w.Code, w.Header())
				}
			}
		})
	}
}
