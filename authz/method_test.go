package authz

import (
	"context"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// anyMethodManifest routes every method of /orders/{id} to one action; a
// policy tells the methods apart by context.method.
const anyMethodManifest = `
routes:
  - name: order
    match: {path: '/orders/{id}'}
    action: AccessOrder
    resource: {type: Order, id: "{id}"}
`

const noDeletePolicies = `
@id("everyone") permit (principal, action, resource);
@id("no-delete") forbid (principal, action, resource) when { context.method == "DELETE" };
`

// TestMethodMustBeUpperCaseToken: HTTP methods are case-sensitive, but
// ASP.NET Core and Express match them case-insensitively, so "delete"
// reaches their DELETE handler. Tollgate would read it as a method the
// policy never names; a method that is not an upper-case token is a bad
// request, never an allow.
func TestMethodMustBeUpperCaseToken(t *testing.T) {
	m, err := manifest.Parse("any.yaml", []byte(anyMethodManifest))
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, loadPolicies(t, noDeletePolicies))
	cfg.Manifest = m
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{"delete", "Delete", "", "DELETE ", " GET", "GE\x00T", "GET,DELETE"} {
		t.Run(method, func(t *testing.T) {
			d := e.Check(context.Background(), req(frontend, method, "/orders/42"))
			if d.Allowed() || d.Code != CodeBadRequest {
				t.Fatalf("method %q: got %v %s (%s), want a bad_request denial", method, d.Outcome, d.Code, d.Detail)
			}
		})
	}
	if d := e.Check(context.Background(), req(frontend, "DELETE", "/orders/42")); d.Code != CodeForbid {
		t.Fatalf("DELETE: got %s (%s), want forbid", d.Code, d.Detail)
	}
	for _, method := range []string{"GET", "PATCH", "M-SEARCH", "PROPFIND"} {
		if d := e.Check(context.Background(), req(frontend, method, "/orders/42")); !d.Allowed() {
			t.Errorf("%s: got %s (%s), want an allow", method, d.Code, d.Detail)
		}
	}
}
