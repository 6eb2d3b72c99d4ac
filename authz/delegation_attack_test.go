package authz

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/identity/subject"
)

// TestDelegationHeaderVariants: the subject token header is read as one
// credential. A repeated header (joined with ","), extra spaces after the
// scheme, or a scheme other than Bearer is a refused token, never "no
// user"; the Bearer scheme is matched without case.
func TestDelegationHeaderVariants(t *testing.T) {
	e, is := delegationEngine(t)
	tok := is.Token(map[string]any{"sub": "alice", "aud": "tollgate", "azp": aiAgent})
	other := is.Token(map[string]any{"sub": "bob", "aud": "tollgate", "azp": aiAgent})
	for name, tc := range map[string]struct{ value, code string }{
		"bearer lower case":    {"bearer " + tok, "permit"},
		"BEARER upper case":    {"BEARER " + tok, "permit"},
		"no scheme":            {tok, "permit"},
		"repeated, joined":     {tok + "," + other, "delegation_invalid"},
		"repeated with scheme": {"Bearer " + tok + ",Bearer " + other, "delegation_invalid"},
		"empty then token":     {"," + tok, "delegation_invalid"},
		"two spaces":           {"Bearer  " + tok, "delegation_invalid"},
		"tab":                  {"Bearer\t" + tok, "delegation_invalid"},
		"other scheme":         {"DPoP " + tok, "delegation_invalid"},
		"scheme only":          {"Bearer", "delegation_invalid"},
		"whitespace only":      {" ", "delegation_invalid"},
	} {
		t.Run(name, func(t *testing.T) {
			r := req(aiAgent, "GET", "/orders/1")
			r.Headers[userHdr] = tc.value
			if d := e.Check(context.Background(), r); d.Code.String() != tc.code {
				t.Fatalf("code %q (%s), want %s", d.Code, d.Detail, tc.code)
			}
		})
	}
}

// TestDelegationUnderscoreHeader: CGI-style servers (Rack, PHP, WSGI)
// read x_user_token as x-user-token (both are HTTP_X_USER_TOKEN), and
// Envoy passes underscores by default. A request carrying the subject
// token header spelled with underscores would reach such an upstream as
// the user while Tollgate decided it without one, or bound another token
// than the upstream reads: it is refused.
func TestDelegationUnderscoreHeader(t *testing.T) {
	e, is := delegationEngine(t)
	tok := is.Token(map[string]any{"sub": "alice", "aud": "tollgate", "azp": aiAgent})
	for name, h := range map[string]map[string]string{
		"underscores only":       {"x_user_token": tok},
		"mixed":                  {"x-user_token": tok},
		"next to the real one":   {userHdr: tok, "x_user_token": tok},
		"empty underscore value": {"x_user_token": ""},
	} {
		t.Run(name, func(t *testing.T) {
			r := req(aiAgent, "GET", "/orders") // permitted only without a user
			for k, v := range h {
				r.Headers[k] = v
			}
			d := e.Check(context.Background(), r)
			if d.Code.String() != "delegation_invalid" || !strings.Contains(d.Detail, "underscore") {
				t.Fatalf("code %q (%s), want delegation_invalid naming the underscore spelling", d.Code, d.Detail)
			}
		})
	}
	r := req(aiAgent, "GET", "/orders")
	r.Headers["x_other"] = "1"
	if d := e.Check(context.Background(), r); d.Code.String() != "permit" {
		t.Fatalf("an unrelated underscore header: code %q (%s)", d.Code, d.Detail)
	}
}

// TestTxnUnderscoreHeader: the same for the Txn-Token header.
func TestTxnUnderscoreHeader(t *testing.T) {
	e, idp, tts := txnEngine(t, subject.TxnBindChain)
	for name, h := range map[string]map[string]string{
		"txn_token alone":          {"txn_token": txnToken(tts, map[string]any{"sub": "bob"})},
		"txn_token next to a user": {userHdr: idp.Token(map[string]any{"sub": "alice", "aud": "tollgate", "azp": aiAgent}), "txn_token": "x"},
	} {
		t.Run(name, func(t *testing.T) {
			r := req(aiAgent, "GET", "/orders/1")
			for k, v := range h {
				r.Headers[k] = v
			}
			if d := e.Check(context.Background(), r); d.Code.String() != "delegation_invalid" || d.Subject != "" {
				t.Fatalf("code %q (%s) subject %q", d.Code, d.Detail, d.Subject)
			}
		})
	}
}

// TestDelegationBindingVariants: a binding value names the caller only
// when it is the caller's SPIFFE ID exactly (or a mapped client id): a
// case, trailing-slash or path variant of it is another party.
func TestDelegationBindingVariants(t *testing.T) {
	e, is := delegationEngine(t)
	for _, v := range []string{
		"spiffe://EXAMPLE.org/ns/ai/sa/agent", "SPIFFE://example.org/ns/ai/sa/agent", aiAgent + "/", aiAgent + "/.",
		"spiffe://example.org/ns/ai/sa/Agent", "spiffe://example.org//ns/ai/sa/agent", aiAgent + "?", " " + aiAgent, "AGENT-CLIENT",
	} {
		for _, claim := range []string{"azp", "client_id", "act"} {
			t.Run(claim+" "+v, func(t *testing.T) {
				c := map[string]any{"sub": "alice", "aud": "tollgate", claim: v}
				if claim == "act" {
					c[claim] = map[string]any{"sub": v}
				}
				r := req(aiAgent, "GET", "/orders/1")
				r.Headers[userHdr] = is.Token(c)
				if d := e.Check(context.Background(), r); d.Code.String() != "delegation_unbound" {
					t.Fatalf("code %q (%s), want delegation_unbound", d.Code, d.Detail)
				}
			})
		}
	}
}

// TestQueryCannotAssertSubject: the AuthZEN door takes no subject token,
// and an enforcement point cannot name the user or the chain in the
// context: the delegation keys are not query context attributes.
func TestQueryCannotAssertSubject(t *testing.T) {
	e, _ := delegationEngine(t)
	if d := e.Evaluate(context.Background(), query(aiAgent, "ListOrders", "Service", "orders")); d.Code.String() != "permit" {
		t.Fatalf("the query without context: code %q (%s)", d.Code, d.Detail)
	}
	for name, c := range map[string]map[string]any{
		"on_behalf_of as an entity": {"on_behalf_of": map[string]any{"type": "User", "id": "alice"}},
		"on_behalf_of as a string":  {"on_behalf_of": `User::"alice"`},
		"delegation_length":         {"delegation_length": json.Number("0")},
		"delegation":                {"delegation": []any{aiAgent}},
		"subject claims":            {"subject": map[string]any{"email": "alice@example.org"}},
	} {
		t.Run(name, func(t *testing.T) {
			q := query(aiAgent, "ListOrders", "Service", "orders")
			q.Context = c
			if d := e.Evaluate(context.Background(), q); d.Code != CodeBadQuery || !strings.Contains(d.Detail, "not a context attribute") {
				t.Fatalf("code %q (%s), want bad_query", d.Code, d.Detail)
			}
		})
	}
}

// TestUnderscoreSpelling: the fold is symmetric, so a header configured
// with underscores is matched by its hyphen spelling too.
func TestUnderscoreSpelling(t *testing.T) {
	for _, tc := range []struct {
		header, name string
		want         bool
	}{
		{"x_user_token", "x-user-token", true},
		{"x-user_token", "x-user-token", true},
		{"x-user-token", "x_user_token", true},
		{"x-user-token", "x-user-token", false},
		{"x_user_token", "x_user_token", false},
		{"x-user-tokens", "x-user-token", false},
		{"x_user_tokeN", "x-user-token", false},
		{"x-user-token", "", false},
	} {
		h := map[string]string{tc.header: "v", "other": "v"}
		if got := underscoreSpelling(h, tc.name); got != tc.want {
			t.Errorf("%s for %s: %v, want %v", tc.header, tc.name, got, tc.want)
		}
	}
}

// TestDelegationSelfToken: the caller's own client_credentials token
// (sub is its client id) does not make it a user of its own.
func TestDelegationSelfToken(t *testing.T) {
	e, is := delegationEngine(t)
	for name, c := range map[string]map[string]any{
		"client_credentials":     {"sub": "agent-client", "client_id": "agent-client"},
		"sub is the SPIFFE ID":   {"sub": aiAgent, "azp": aiAgent},
		"sub mapped, azp SPIFFE": {"sub": "agent-client", "azp": aiAgent},
	} {
		t.Run(name, func(t *testing.T) {
			c["aud"] = "tollgate"
			r := req(aiAgent, "GET", "/orders")
			r.Headers[userHdr] = is.Token(c)
			if d := e.Check(context.Background(), r); d.Code.String() != "delegation_unbound" || d.Subject != "" {
				t.Fatalf("code %q (%s) subject %q, want delegation_unbound", d.Code, d.Detail, d.Subject)
			}
		})
	}
}
