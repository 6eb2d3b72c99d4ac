package authz

import (
	"context"
	"testing"
)

const noAdminHostPolicies = `
@id("everyone") permit (principal, action, resource);
@id("no-admin-host") forbid (principal, action, resource) when { context.host == "admin.example.org" };
`

// TestMalformedHostRefused: a Host (:authority) that is not a host and
// port (RFC 9110 uri-host) is a bad request. "x@admin.example.org" is
// admin.example.org to a URL parser (userinfo) but not to a policy on
// context.host.
func TestMalformedHostRefused(t *testing.T) {
	cfg := testConfig(t, loadPolicies(t, noAdminHostPolicies))
	cfg.Manifest = ordersManifest(t)
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"x@admin.example.org", "admin.example.org/x", "admin.example.org\\x", "admin.example.org?x",
		"admin.example.org#x", "admin%2Eexample.org", "admin.example.org x", "admin.exämple.org", "a\x00"} {
		r := req(frontend, "GET", "/orders/42")
		r.Host = host
		if d := e.Check(context.Background(), r); d.Allowed() || d.Code != CodeBadRequest {
			t.Errorf("host %q: got %v %s (%s), want a bad_request denial", host, d.Outcome, d.Code, d.Detail)
		}
	}
	for _, host := range []string{"orders.example.org", "Orders.Example.Org.:8443", "[::1]:443", "10.0.0.1", "my_host", ""} {
		r := req(frontend, "GET", "/orders/42")
		r.Host = host
		if d := e.Check(context.Background(), r); !d.Allowed() {
			t.Errorf("host %q: got %s (%s), want an allow", host, d.Code, d.Detail)
		}
	}
	r := req(frontend, "GET", "/orders/42")
	r.Host = "ADMIN.example.org:443"
	if d := e.Check(context.Background(), r); d.Code != CodeForbid {
		t.Errorf("ADMIN.example.org:443: got %s (%s), want forbid", d.Code, d.Detail)
	}
}
