package authz

import (
	"encoding/json"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz/mcp"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/policy"
)

// TestEveryCodeHasALabel: every code has its own label, round-trips
// through ParseCode, and only CodeInternal is labelled "internal", so no
// code reaches the metric as "internal" by omission.
func TestEveryCodeHasALabel(t *testing.T) {
	seen := map[string]Code{}
	for c := Code(0); c < codeEnd; c++ {
		l := c.String()
		if l == "" || codeLabel(c) != l {
			t.Fatalf("code %d has no label", c)
		}
		if prev, dup := seen[l]; dup {
			t.Fatalf("codes %d and %d share the label %q", prev, c, l)
		}
		seen[l] = c
		if l == "internal" && c != CodeInternal {
			t.Fatalf("code %d is labelled internal", c)
		}
		if p, ok := ParseCode(l); !ok || p != c {
			t.Fatalf("ParseCode(%q) = %d, %v; want %d", l, p, ok, c)
		}
		if o := c.Outcome(); o == Unknown || (o == Allow) != (c == CodePermit || c == CodeMCPListing) {
			t.Fatalf("code %s has outcome %s", l, o)
		}
	}
	if Code(0) != CodeInternal || codeEnd.String() != "internal" || codeEnd.Outcome() != Unavailable {
		t.Fatal("the zero or an out-of-range code is not an internal denial")
	}
	if _, ok := ParseCode("no_such_code"); ok {
		t.Fatal("ParseCode accepted an unknown name")
	}
}

// TestEveryReasonHasItsCode: each reason the identity, subject, MCP and
// policy packages can give maps to the code of the same name, never to
// a catch-all.
func TestEveryReasonHasItsCode(t *testing.T) {
	for _, r := range identityReasons() {
		if got := identityCode(r).String(); got != "identity_"+string(r) {
			t.Errorf("identity reason %q -> code %q", r, got)
		}
	}
	for _, r := range delegationReasons() {
		if got := delegationCode(r).String(); got != "delegation_"+string(r) {
			t.Errorf("subject reason %q -> code %q", r, got)
		}
	}
	mr := mcpReasons()
	for _, r := range append(mr[:], mcp.ReasonTooLarge) {
		if got := mcpBodyCode(r).String(); got != "mcp_"+string(r) {
			t.Errorf("mcp reason %q -> code %q", r, got)
		}
	}
	for _, r := range []policy.Reason{policy.ReasonPermit, policy.ReasonForbid, policy.ReasonNoPermit,
		policy.ReasonForbidError, policy.ReasonNoSnapshot, policy.ReasonStale, policy.ReasonInvalidRequest} {
		if got := policyCode(r).String(); got != string(r) {
			t.Errorf("policy reason %q -> code %q", r, got)
		}
	}
	if identityCode("new_reason") != CodeIdentityInternal || delegationCode("new") != CodeDelegationInvalid {
		t.Error("an unknown reason must map to its family's bounded denial")
	}
	if subject.ReasonOf(nil) != subject.ReasonInvalid {
		t.Error("subject.ReasonOf changed its fallback")
	}
}

// TestConstructors: Denied never allows, Allowed needs a verified
// identity, and each decision's outcome is its code's.
func TestConstructors(t *testing.T) {
	for c := Code(0); c < codeEnd; c++ {
		d := Denied(c, "x")
		if d.Allowed() || d.Outcome == Allow || d.Outcome == Unknown {
			t.Fatalf("Denied(%s) = %+v", c, d)
		}
		if c.Outcome() != Allow && (d.Code != c || d.Outcome != c.Outcome()) {
			t.Fatalf("Denied(%s) = %s/%s", c, d.Outcome, d.Code)
		}
	}
	if d := Denied(CodePermit, "x"); d.Code != CodeInternal {
		t.Fatalf("Denied(permit) = %s", d.Code)
	}
	if d := Denied(CodeMCPListing, "x"); d.Code != CodeInternal {
		t.Fatalf("Denied(mcp_listing) = %s", d.Code)
	}
	if d := Listed(nil, "x"); d.Allowed() || d.Code != CodeInternal {
		t.Fatalf("Listed(nil) = %s", d.Code)
	}
	if d := Allowed(nil); d.Allowed() || d.Code != CodeInternal {
		t.Fatalf("Allowed(nil) = %+v", d)
	}
	if d := Allowed(&identity.Identity{}); d.Allowed() {
		t.Fatal("an allow for the zero identity")
	}
	id := identity.Identity{ID: spiffeid.RequireFromString(frontend)}
	if d := Allowed(&id); !d.Allowed() || d.Code != CodePermit {
		t.Fatalf("Allowed(id) = %+v", d)
	}
	if d := Errored("x"); d.Outcome != Unavailable || d.Code != CodeInternal {
		t.Fatalf("Errored = %+v", d)
	}
	b, err := json.Marshal(map[string]Code{"c": CodeDelegationUnbound})
	if err != nil || string(b) != `{"c":"delegation_unbound"}` {
		t.Fatalf("json %s %v", b, err)
	}
}
