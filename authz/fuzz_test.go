package authz

import (
	"context"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// FuzzMap drives random requests through an Engine whose policies permit
// everything, so any denial comes from authz itself. An allowed request
// must have a well-formed path and a matching route.
func FuzzMap(f *testing.F) {
	f.Add("GET", "/orders/42", "", "10", "")
	f.Add("POST", "/acme.orders.v1.Orders/GetOrder", "application/grpc", "", "")
	f.Add("GET", "/orders/%2e%2e/admin/x", "", "", "")
	f.Add("PUT", "//orders/42/?q#f", "text/plain", "x", "1.2.3.4")
	f.Add("get", "/static/%252e/a", "", "-1", "::1")
	f.Add("HEAD", "/Orders/42;x", "", "", "")
	f.Add("POST", "/acme.orders.v1.Orders/GetOrder/", "application/grpc", "", "")
	pol := loadPolicies(f, `@id("all") permit(principal, action, resource);`)
	e := newTestEngine(f, pol)
	m := e.Manifest()
	f.Fuzz(func(t *testing.T, method, path, contentType, risk, addr string) {
		r := req(frontend, method, path)
		r.Headers["content-type"] = contentType
		r.Headers["x-risk-score"] = risk
		r.Headers["x-spiffe-id"] = path
		r.SourceAddress = addr
		d := e.Check(context.Background(), r)
		if d.Code == CodeInternal {
			t.Fatalf("internal error (a panic?) for %q %q", method, path)
		}
		if !d.Allowed() {
			return
		}
		if _, err := manifest.NormalizePath(path); err != nil {
			t.Fatalf("allowed a malformed path %q", path)
		}
		if _, err := m.Match(method, path, isGRPC(contentType)); err != nil {
			t.Fatalf("allowed an unmatched request %q %q: %v", method, path, err)
		}
		if d.Identity == nil || d.Identity.ID.String() != frontend || d.Action == "" || d.Resource == "" {
			t.Fatalf("allowed without identity, action or resource: %+v", d)
		}
	})
}
