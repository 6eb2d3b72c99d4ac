package forwardauth

import (
	"context"
	"net/http/httptest"
	"testing"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"google.golang.org/grpc/codes"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/envoy"
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
		"identity, no outcome":     {ID: "d", Identity: id, Code: authz.CodePermit},
		"zero outcome, code unset": {ID: "d", Identity: id},
	}
	for name, d := range tests {
		t.Run(name+"/grpc", func(t *testing.T) {
			resp, err := envoy.NewServer(&recorder{Decision: d}, envoy.Options{}).Check(context.Background(), &authv3.CheckRequest{})
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
				newHTTP(t, style, &recorder{Decision: d}).ServeHTTP(w, checkReq("GET", "/orders/1", "10.0.0.1:1",
					map[string]string{"X-Forwarded-Method": "GET", "X-Forwarded-Uri": "/orders/1", "X-Original-Method": "GET", "X-Original-Uri": "/orders/1"}, ""))
				if w.Code != 403 || w.Header().Get(envoy.HeaderSPIFFEID) != "" || w.Header().Get("X-Tollgate-Code") == "" {
					t.Fatalf("%s: zero outcome answered %d %v", style, w.Code, w.Header())
				}
			}
		})
	}
}

// failOpenDenials are the denials a proxy set to fail open would turn into
// an allow if they were answered with a 5xx (Envoy failure_mode_allow,
// Istio failOpen) or as a failed gRPC call.
func failOpenDenials() map[string]authz.Decision {
	id := &identity.Identity{ID: spiffeid.RequireFromString("spiffe://example.org/web")}
	return map[string]authz.Decision{
		"no policy":               {ID: "d", Outcome: authz.Unavailable, Code: authz.CodeNoSnapshot, Detail: "no policy is loaded"},
		"stale policy":            {ID: "d", Outcome: authz.Unavailable, Code: authz.CodeStalePolicy, Detail: "the policy bundle is stale"},
		"internal error":          {ID: "d", Outcome: authz.Unavailable, Code: authz.CodeInternal, Detail: "internal error"},
		"allow without identity":  {ID: "d", Outcome: authz.Allow, Code: authz.CodePermit},
		"outcome out of range":    {ID: "d", Outcome: authz.Outcome(99), Code: authz.CodePermit, Identity: id},
		"grpc caller unavailable": {ID: "d", Outcome: authz.Unavailable, Code: authz.CodeNoSnapshot, GRPC: true},
	}
}

// The HTTP mode never answers a denial with a 5xx, in any style: each is
// a 403 naming the code in X-Tollgate-Code.
func TestHTTPDenialNever5xx(t *testing.T) {
	for name, d := range failOpenDenials() {
		for _, style := range []string{StyleEnvoy, StyleNginx, StyleCaddy, StyleTraefik} {
			t.Run(name+"/"+style, func(t *testing.T) {
				w := httptest.NewRecorder()
				hdr := caddyCheck()
				hdr["X-Original-Method"], hdr["X-Original-Uri"] = "GET", "/orders/1"
				newHTTP(t, style, &recorder{Decision: d}).ServeHTTP(w, checkReq("GET", "/orders/1", "10.0.0.1:1", hdr, ""))
				want := d.Code
				if d.Outcome != authz.Unavailable {
					want = authz.CodeInternal
				}
				if w.Code != 403 || w.Header().Get("X-Tollgate-Code") != want.String() {
					t.Fatalf("answered %d code %q, want 403 %q", w.Code, w.Header().Get("X-Tollgate-Code"), want)
				}
			})
		}
	}
}

// A denial over gRPC is an OK call carrying a DeniedHttpResponse, never a
// gRPC error, and the client sees 403, as in the HTTP mode.
func TestGRPCDenialIsAResponse(t *testing.T) {
	for name, d := range failOpenDenials() {
		t.Run(name, func(t *testing.T) {
			resp, err := envoy.NewServer(&recorder{Decision: d}, envoy.Options{}).Check(context.Background(), &authv3.CheckRequest{})
			if err != nil {
				t.Fatalf("a denial must be a CheckResponse: %v", err)
			}
			den := resp.GetDeniedResponse()
			if den == nil || resp.GetStatus().GetCode() == int32(codes.OK) || den.GetStatus().GetCode() != 403 {
				t.Fatalf("got %v", resp)
			}
		})
	}
}

// For every Outcome value, known or not, with or without an identity: only
// Allow with an identity is an allow, and no answer is a 5xx.
func TestEveryOutcomeFailsClosed(t *testing.T) {
	id := &identity.Identity{ID: spiffeid.RequireFromString("spiffe://example.org/web")}
	for o := authz.Outcome(-2); o < 12; o++ {
		for _, who := range []*identity.Identity{nil, id} {
			for _, grpcCall := range []bool{false, true} {
				d := authz.Decision{ID: "d", Outcome: o, Code: authz.CodeNoPermit, Identity: who, GRPC: grpcCall}
				wantAllow := o == authz.Allow && who != nil
				resp, err := envoy.NewServer(&recorder{Decision: d}, envoy.Options{}).Check(context.Background(), &authv3.CheckRequest{})
				if err != nil {
					t.Fatalf("a denial must be a CheckResponse: %v", err)
				}
				if got := resp.GetOkResponse() != nil || resp.GetStatus().GetCode() == int32(codes.OK); got != wantAllow {
					t.Errorf("gRPC: outcome %d identity %v grpc %v: allow=%v", o, who != nil, grpcCall, got)
				}
				if den := resp.GetDeniedResponse(); den != nil && den.GetStatus().GetCode() >= 500 {
					t.Errorf("gRPC: outcome %d answered %d", o, den.GetStatus().GetCode())
				}
				for _, style := range []string{StyleEnvoy, StyleNginx, StyleCaddy, StyleTraefik} {
					w := httptest.NewRecorder()
					hdr := caddyCheck()
					hdr["X-Original-Method"], hdr["X-Original-Uri"] = "GET", "/orders/1"
					newHTTP(t, style, &recorder{Decision: d}).ServeHTTP(w, checkReq("GET", "/orders/1", "10.0.0.1:1", hdr, ""))
					if (w.Code == 200) != wantAllow || w.Code >= 500 || (w.Code > 200 && w.Code < 400) {
						t.Errorf("%s: outcome %d identity %v grpc %v: answered %d", style, o, who != nil, grpcCall, w.Code)
					}
				}
			}
		}
	}
}
