package authz

import (
	"context"
	"net/url"
	"testing"
)

// parityPolicies are the orders policies plus forbids on the request
// attributes both doors give policies: a tricky spelling of a forbidden
// request must not be allowed through either door.
func parityPolicies(t testing.TB) cedarPolicies {
	t.Helper()
	return loadPolicies(t, readFixture("testdata/policies/orders.cedar")+`
@id("no-admin-path")
forbid (principal, action, resource) when { context has path && context.path like "/admin*" };
@id("no-admin-host")
forbid (principal, action, resource) when { context has host && context.host == "admin.example.org" };
@id("no-delete")
forbid (principal, action, resource) when { context has method && context.method == "DELETE" };
`)
}

// TestDoorParity sends the same tricky requests through the Envoy door
// (Check, which the forward-auth listener shares) and, as the request
// attributes an AuthZEN enforcement point asserts, through Evaluate. A
// request the Envoy door refuses or denies must never be an allow at the
// AuthZEN door: it is refused (bad_query) or denied.
func TestDoorParity(t *testing.T) {
	e := newTestEngine(t, parityPolicies(t))
	tests := []struct {
		name                 string
		method, path, host   string
		allowed, evalRefused bool
	}{
		{"plain read", "GET", "/orders/42", "orders.example.org", true, false},
		{"forbidden host", "GET", "/orders/42", "admin.example.org", false, false},
		{"lower-case method", "delete", "/orders/42", "orders.example.org", false, true},
		{"mixed-case method", "Delete", "/orders/42", "orders.example.org", false, true},
		{"method with a space", "DELETE ", "/orders/42", "orders.example.org", false, true},
		{"userinfo host", "GET", "/orders/42", "x@admin.example.org", false, true},
		{"host with a path", "GET", "/orders/42", "admin.example.org/x", false, true},
		{"host with a space", "GET", "/orders/42", "admin.example.org x", false, true},
		{"full-width letter", "GET", "/ａdmin/users", "orders.example.org", false, true},
		{"full-width dots", "GET", "/orders/．．/admin/users", "orders.example.org", false, true},
		{"best-fit separator", "GET", "/orders/42∕..∕..∕admin", "orders.example.org", false, true},
		{"raw space", "GET", "/orders/42 /admin/users", "orders.example.org", false, true},
		{"case variant of a route", "GET", "/ADMIN/users", "orders.example.org", false, true},
		{"case variant, any method", "POST", "/Admin/users", "orders.example.org", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := req(frontend, tt.method, tt.path)
			r.Host = tt.host
			envoyDoor := e.Check(context.Background(), r)
			if envoyDoor.Allowed() != tt.allowed {
				t.Fatalf("Envoy door: %s %q, want allowed=%v", envoyDoor.Code, envoyDoor.Detail, tt.allowed)
			}
			q := with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) {
				q.Context = map[string]any{"method": tt.method, "path": tt.path, "host": tt.host}
			})
			authzen := e.Evaluate(context.Background(), q)
			if authzen.Allowed() && !envoyDoor.Allowed() {
				t.Fatalf("AuthZEN door allowed what the Envoy door answered %s (%s)", envoyDoor.Code, envoyDoor.Detail)
			}
			if tt.evalRefused && authzen.Code != CodeBadQuery {
				t.Fatalf("AuthZEN door: %s %q, want bad_query", authzen.Code, authzen.Detail)
			}
			if !tt.evalRefused && authzen.Allowed() != envoyDoor.Allowed() {
				t.Fatalf("AuthZEN door: %s %q, Envoy door %s", authzen.Code, authzen.Detail, envoyDoor.Code)
			}
		})
	}
}

// TestEvaluateResourceIDCompatChar: the Envoy door refuses /orders/１３
// (compat_char, escaped or not), so Order::"１３" never reaches a policy
// from it; an NFKC-normalising upstream reads it as 13. An evaluation
// naming that id is refused too, not a way past a forbid on Order::"13".
func TestEvaluateResourceIDCompatChar(t *testing.T) {
	e := newTestEngine(t, parityPolicies(t))
	for _, id := range []string{"１３", "1\u2215 3", "ﬁle"} {
		t.Run(id, func(t *testing.T) {
			if d := e.Check(context.Background(), req(frontend, "GET", "/orders/"+url.PathEscape(id))); d.Allowed() {
				t.Fatalf("Envoy door allowed %q", id)
			}
			if d := e.Evaluate(context.Background(), query(frontend, "ReadOrder", "Order", id)); d.Code != CodeBadQuery {
				t.Fatalf("AuthZEN door: %s %q, want bad_query", d.Code, d.Detail)
			}
		})
	}
	if d := e.Evaluate(context.Background(), query(frontend, "ReadOrder", "Order", "a b")); !d.Allowed() {
		t.Fatalf("an id the door produces from /orders/a%%20b: %s %q", d.Code, d.Detail)
	}
}
