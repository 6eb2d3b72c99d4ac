package authz

import (
	"context"
	"testing"
)

// TestSignalHeaderUnderscoreSpellingRefused: the forbid "low-risk-only"
// reads context.risk from X-Risk-Score. A client sending x_risk_score
// (or x-risk_score) leaves context.risk absent, so the guarded forbid
// does not fire, while CGI-style upstreams (Rack, PHP, WSGI) read it as
// X-Risk-Score. Such a request is denied (bad_signal), not decided without the signal.
func TestSignalHeaderUnderscoreSpellingRefused(t *testing.T) {
	e := newTestEngine(t, ordersPolicies(t))
	for _, h := range []string{"x_risk_score", "x-risk_score", "x_risk-score"} {
		t.Run(h, func(t *testing.T) {
			r := req(frontend, "GET", "/orders/42")
			r.Headers[h] = "99"
			if d := e.Check(context.Background(), r); d.Allowed() || d.Code != CodeBadSignal {
				t.Fatalf("got %s %q, want bad_signal", d.Code, d.Detail)
			}
		})
	}
	r := req(frontend, "GET", "/orders/42")
	r.Headers["x-risk-score"] = "10"
	if d := e.Check(context.Background(), r); !d.Allowed() {
		t.Fatalf("x-risk-score itself: %s %q", d.Code, d.Detail)
	}
}
