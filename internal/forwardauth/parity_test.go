package forwardauth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"testing/fstest"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/envoy"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/policy"
)

const parityManifest = `service: orders
routes:
  - name: get-order
    match: { methods: [GET, POST], path: "/orders/{id}" }
    action: ReadOrder
    resource: { type: Order, id: "{id}" }
  - name: admin
    match: { path: "/admin/{rest...}" }
    action: Admin
    resource: { type: Service, id: admin }
  - name: public
    match: { path: "/public/{rest...}" }
    action: ReadPublic
    resource: { type: Service, id: public }
`

const parityPolicies = `
@id("reads") permit (principal, action in [Action::"ReadOrder", Action::"ReadPublic"], resource);
@id("no-delete") forbid (principal, action, resource) when { context.method == "DELETE" };
@id("no-admin-host") forbid (principal, action, resource) when { context.host == "admin.example.org" };
`

// anyCaller verifies every request as one workload: the doors are
// compared on the request, not on how each carries the caller.
type anyCaller struct{}

func (anyCaller) Verify(context.Context, identity.Credentials) (identity.Identity, error) {
	return identity.Identity{ID: spiffeid.RequireFromString("spiffe://example.org/ns/shop/sa/web"), Source: identity.SourceXFCC}, nil
}

func parityEngine(t *testing.T) *authz.Engine {
	t.Helper()
	m, err := manifest.Parse("orders.yaml", []byte(parityManifest))
	if err != nil {
		t.Fatal(err)
	}
	snap, err := policy.Load(fstest.MapFS{"p.cedar": {Data: []byte(parityPolicies)}}, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	store := policy.NewStore(nil)
	store.Swap(snap)
	e, err := authz.NewEngine(authz.Config{Identifier: anyCaller{}, Policies: store, Manifest: m})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// original is a request as the client sent it to the proxy.
type original struct {
	method, target, host string
	headers              map[string]string
}

// overGRPC asks the Envoy door (ext_authz gRPC) about o.
func overGRPC(t *testing.T, e *authz.Engine, o original) bool {
	t.Helper()
	hdr := map[string]string{":authority": o.host, ":method": o.method, ":path": o.target}
	for k, v := range o.headers {
		hdr[lower(k)] = v
	}
	resp, err := envoy.NewServer(e, envoy.Options{}).Check(context.Background(), &authv3.CheckRequest{
		Attributes: &authv3.AttributeContext{Request: &authv3.AttributeContext_Request{Http: &authv3.AttributeContext_HttpRequest{
			Method: o.method, Path: o.target, Host: o.host, Scheme: "https", Headers: hdr,
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.GetOkResponse() != nil
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// overHTTP asks the forward-auth door in style about o, with the check
// request the proxy of that style sends (nginx and Caddy pass the client's
// headers on and add their own).
func overHTTP(t *testing.T, e *authz.Engine, style string, o original) bool {
	t.Helper()
	h, err := New(e, Options{Style: style, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	if err != nil {
		t.Fatal(err)
	}
	method, target := o.method, o.target
	if style != StyleEnvoy {
		method, target = http.MethodGet, "/auth"
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Method, r.RequestURI, r.Host, r.RemoteAddr = method, target, o.host, "10.0.0.1:4000"
	for k, v := range o.headers {
		r.Header.Set(k, v)
	}
	r.Header.Set("X-Forwarded-Proto", "https")
	switch style {
	case StyleNginx:
		r.Header.Set("X-Original-Method", o.method)
		r.Header.Set("X-Original-Uri", o.target)
		r.Header.Set("X-Original-Proto", "https")
	case StyleCaddy, StyleTraefik:
		r.Header.Set("X-Forwarded-Method", o.method)
		r.Header.Set("X-Forwarded-Uri", o.target)
		r.Header.Set("X-Forwarded-Host", o.host)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code == http.StatusOK
}

// TestDoorParityHTTP sends the same tricky requests through the Envoy door
// and through each forward-auth style: every door allows the plain
// requests, and none allows what the Envoy door refuses or denies.
func TestDoorParityHTTP(t *testing.T) {
	e := parityEngine(t)
	tests := []struct {
		name  string
		o     original
		allow bool
	}{
		{"plain read", original{"GET", "/orders/42", "shop.example.org", nil}, true},
		{"plain query", original{"GET", "/public/x?a=1", "shop.example.org", nil}, true},
		{"forbidden host", original{"GET", "/orders/42", "admin.example.org", nil}, false},
		{"forbidden host with a port", original{"GET", "/orders/42", "admin.example.org:443", nil}, false},
		{"forbidden host, trailing dot", original{"GET", "/orders/42", "ADMIN.example.org.", nil}, false},
		{"userinfo host", original{"GET", "/orders/42", "x@admin.example.org", nil}, false},
		{"lower-case method", original{"delete", "/orders/42", "shop.example.org", nil}, false},
		{"method override header", original{"POST", "/orders/42", "shop.example.org", map[string]string{"X-HTTP-Method-Override": "DELETE"}}, false},
		{"method override, underscores", original{"POST", "/orders/42", "shop.example.org", map[string]string{"X_HTTP_Method_Override": "DELETE"}}, false},
		{"URL override, underscores", original{"GET", "/public/x", "shop.example.org", map[string]string{"X_Original_URL": "/admin/users"}}, false},
		{"identity header, underscores", original{"GET", "/orders/42", "shop.example.org", map[string]string{"X_Spiffe_Id": "spiffe://example.org/ns/admin/sa/root"}}, false},
		{"_method query", original{"POST", "/orders/42?_method=DELETE", "shop.example.org", nil}, false},
		{"_method query, PHP spelling", original{"POST", "/orders/42?%20method=DELETE", "shop.example.org", nil}, false},
		{"URL override header", original{"GET", "/public/x", "shop.example.org", map[string]string{"X-Original-URL": "/admin/users"}}, false},
		{"URL rewrite header", original{"GET", "/public/x", "shop.example.org", map[string]string{"X-Rewrite-URL": "/admin/users"}}, false},
		{"full-width dots", original{"GET", "/public/%EF%BC%8E%EF%BC%8E/admin/users", "shop.example.org", nil}, false},
		{"full-width letter", original{"GET", "/%EF%BD%81dmin/users", "shop.example.org", nil}, false},
		{"encoded dot segment", original{"GET", "/public/%2e%2e/admin/users", "shop.example.org", nil}, false},
		{"encoded slash", original{"GET", "/public/..%2fadmin/users", "shop.example.org", nil}, false},
		{"case variant of a route", original{"GET", "/Admin/users", "shop.example.org", nil}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := overGRPC(t, e, tt.o); got != tt.allow {
				t.Fatalf("Envoy door (gRPC): allowed=%v, want %v", got, tt.allow)
			}
			for _, style := range []string{StyleEnvoy, StyleNginx, StyleCaddy, StyleTraefik} {
				if got := overHTTP(t, e, style, tt.o); got != tt.allow {
					t.Errorf("forward-auth %s: allowed=%v, the Envoy door %v", style, got, tt.allow)
				}
			}
		})
	}
}
