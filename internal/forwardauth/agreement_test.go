package forwardauth

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/envoy"
)

// answer is what a client behind the proxy sees of a denial.
type answer struct {
	status  int
	headers map[string]string
	body    string
}

// agreedHeaders are the denial headers both listeners must set alike.
var agreedHeaders = []string{"content-type", "x-tollgate-code", envoy.HeaderDecisionID, "grpc-status", "grpc-message"}

func grpcAnswer(t *testing.T, d authz.Decision) answer {
	t.Helper()
	resp, err := envoy.NewServer(&recorder{Decision: d}, envoy.Options{}).Check(context.Background(), &authv3.CheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	den := resp.GetDeniedResponse()
	a := answer{status: int(den.GetStatus().GetCode()), headers: map[string]string{}, body: den.GetBody()}
	for _, h := range den.GetHeaders() {
		a.headers[strings.ToLower(h.GetHeader().GetKey())] = h.GetHeader().GetValue()
	}
	return a
}

func httpAnswer(t *testing.T, d authz.Decision) answer {
	t.Helper()
	w := httptest.NewRecorder()
	newHTTP(t, StyleEnvoy, &recorder{Decision: d}).ServeHTTP(w, checkReq("GET", "/orders/1", "10.0.0.1:1", nil, ""))
	a := answer{status: w.Code, headers: map[string]string{}, body: w.Body.String()}
	for _, k := range agreedHeaders {
		if v := w.Header().Get(k); v != "" {
			a.headers[k] = v
		}
	}
	return a
}

// A denial reads the same to the client whichever listener decided it:
// status, code header, gRPC status and body (MCP denials differ only in
// status, see TestHTTPDenials).
func TestDenialsAgreeAcrossListeners(t *testing.T) {
	tests := map[string]authz.Decision{
		"forbidden":            {ID: "d", Outcome: authz.Forbidden, Code: authz.CodeForbid, Detail: "denied by policy"},
		"unauthenticated":      {ID: "d", Outcome: authz.Unauthenticated, Code: authz.CodeIdentityMissing, Detail: "no identity"},
		"bad request":          {ID: "d", Outcome: authz.BadRequest, Code: authz.CodeBadPath, Detail: "bad path"},
		"no policy":            {ID: "d", Outcome: authz.Unavailable, Code: authz.CodeNoSnapshot, Detail: "no policy is loaded"},
		"grpc forbidden":       {ID: "d", Outcome: authz.Forbidden, Code: authz.CodeNoPermit, GRPC: true},
		"grpc unauthenticated": {ID: "d", Outcome: authz.Unauthenticated, Code: authz.CodeIdentityMissing, GRPC: true},
		"grpc no policy":       {ID: "d", Outcome: authz.Unavailable, Code: authz.CodeNoSnapshot, GRPC: true},
	}
	for name, d := range tests {
		t.Run(name, func(t *testing.T) {
			g, h := grpcAnswer(t, d), httpAnswer(t, d)
			if g.status != h.status || g.body != h.body {
				t.Errorf("gRPC answers %d %q, HTTP answers %d %q", g.status, g.body, h.status, h.body)
			}
			for _, k := range agreedHeaders {
				if g.headers[k] != h.headers[k] {
					t.Errorf("%s: gRPC %q, HTTP %q", k, g.headers[k], h.headers[k])
				}
			}
			if g.headers["x-tollgate-code"] != d.Code.String() {
				t.Errorf("x-tollgate-code %q, want %q", g.headers["x-tollgate-code"], d.Code)
			}
		})
	}
}

// A panic while deciding is a 403 internal-error denial on a real HTTP
// server, not a dropped connection (which Envoy's failure_mode_allow
// reads as an allow).
func TestHTTPPanicDenies(t *testing.T) {
	for _, style := range []string{StyleEnvoy, StyleNginx, StyleCaddy, StyleTraefik} {
		t.Run(style, func(t *testing.T) {
			h, err := New(&recorder{Panics: true}, Options{Style: style,
				TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			req, _ := http.NewRequest("GET", srv.URL+"/orders/1", nil)
			for k, v := range caddyCheck() {
				req.Header.Set(k, v)
			}
			req.Header.Set("X-Original-Method", "GET")
			req.Header.Set("X-Original-Uri", "/orders/1")
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatalf("the connection failed instead of a denial: %v", err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 403 || resp.Header.Get("X-Tollgate-Code") != authz.CodeInternal.String() {
				t.Fatalf("got %d %v %s", resp.StatusCode, resp.Header, body)
			}
		})
	}
}
