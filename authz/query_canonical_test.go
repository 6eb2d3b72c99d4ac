package authz

import (
	"context"
	"os"
	"testing"
)

// canonicalPolicies are the orders policies plus forbids on the request
// attributes the Envoy door normalises before policies see them.
func canonicalPolicies(t *testing.T) cedarPolicies {
	t.Helper()
	b, err := os.ReadFile("testdata/policies/orders.cedar")
	if err != nil {
		t.Fatal(err)
	}
	return loadPolicies(t, string(b)+`
@id("no-admin-path")
forbid (principal, action, resource) when { context has path && context.path like "/admin*" };
@id("no-admin-host")
forbid (principal, action, resource) when { context has host && context.host == "admin.example.org" };
@id("no-plain-http")
forbid (principal, action, resource) when { context has scheme && context.scheme == "http" };
`)
}

// TestEvaluateContextCanonical: context.path, host and scheme of a query
// must be in the form the Envoy door gives policies (NormalizePath,
// normalizeHost, lower-case scheme). A form the door never produces is a
// bad query, not a way around a forbid written against the door's form:
// before, "//admin", "/%61dmin", "ADMIN.example.org" and "HTTP" were
// allowed where the same request through Envoy is forbidden.
func TestEvaluateContextCanonical(t *testing.T) {
	e := newTestEngine(t, canonicalPolicies(t))
	tests := []struct {
		key, value string
		outcome    Outcome
	}{
		{"path", "/orders/42", Allow},
		{"path", "/café", Allow},
		{"path", "/admin/users", Forbidden},
		{"path", "//admin", BadRequest},
		{"path", "/x/../admin", BadRequest},
		{"path", "/%61dmin", BadRequest},
		{"path", "/admin/", BadRequest},
		{"path", "/orders/42?x=1", BadRequest},
		{"path", "admin", BadRequest},
		{"path", "", BadRequest},
		{"path", "a path", BadRequest},
		{"host", "shop.example.org", Allow},
		{"host", "admin.example.org", Forbidden},
		{"host", "ADMIN.example.org", BadRequest},
		{"host", "admin.example.org.", BadRequest},
		{"host", "admin.example.org:443", BadRequest},
		{"scheme", "https", Allow},
		{"scheme", "http", Forbidden},
		{"scheme", "HTTP", BadRequest},
		{"scheme", "http ", BadRequest},
		{"scheme", "ws", BadRequest},
		{"scheme", "", BadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			q := with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) { q.Context = map[string]any{tt.key: tt.value} })
			d := e.Evaluate(context.Background(), q)
			if d.Outcome != tt.outcome || d.Allowed() != (tt.outcome == Allow) {
				t.Fatalf("got %v %q %q, want %v", d.Outcome, d.Code, d.Detail, tt.outcome)
			}
			if tt.outcome == BadRequest && d.Code != CodeBadQuery {
				t.Fatalf("code %q, want bad_query", d.Code)
			}
		})
	}
}
