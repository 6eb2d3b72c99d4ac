package authz

import (
	"context"
	"testing"
)

// TestUpstreamHeaderUnderscoreSpellingRefused: the adapters overwrite
// x-spiffe-id and x-tollgate-decision-id on an allowed request, but not a
// client's x_spiffe_id, which CGI-style upstreams (Rack, PHP, WSGI) read
// as the same header: the upstream could take the client's identity
// instead of the verified one. Such a request is refused.
func TestUpstreamHeaderUnderscoreSpellingRefused(t *testing.T) {
	e := newTestEngine(t, ordersPolicies(t))
	for _, h := range []string{"x_spiffe_id", "x-spiffe_id", "x_tollgate_decision_id"} {
		t.Run(h, func(t *testing.T) {
			r := req(frontend, "GET", "/orders/42")
			r.Headers[h] = "spiffe://example.org/ns/admin/sa/root"
			if d := e.Check(context.Background(), r); d.Allowed() || d.Code != CodeBadRequest {
				t.Fatalf("got %s %q, want bad_request", d.Code, d.Detail)
			}
		})
	}
	r := req(frontend, "GET", "/orders/42")
	r.Headers[HeaderSPIFFEID] = "spiffe://example.org/ns/admin/sa/root" // overwritten by the adapters
	if d := e.Check(context.Background(), r); !d.Allowed() {
		t.Fatalf("x-spiffe-id itself: %s %q", d.Code, d.Detail)
	}
}
