package authz

import (
	"context"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity"
)

func BenchmarkMap(b *testing.B) {
	mp := mapper{signals: []Signal{{Name: "risk", From: FromHeader, Key: "x-risk-score", Type: TypeLong}}}
	m := ordersManifest(b)
	id := identity.Identity{ID: spiffeid.RequireFromString(frontend), Source: identity.SourcePrincipal}
	r := req(frontend, "GET", "/orders/42")
	r.Headers["x-risk-score"] = "10"
	var vals [8]string
	b.ReportAllocs()
	for b.Loop() {
		lk := m.Lookup(r.Method, r.Path, false, false, vals[:0])
		if _, err := mp.build(r, &id, nil, lk.Rule, lk.Vals, lk.Path, testTime); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	e := newTestEngine(b, ordersPolicies(b))
	r := req(frontend, "GET", "/orders/42")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if d := e.Check(ctx, r); !d.Allowed() {
			b.Fatal(d.Code)
		}
	}
}

// TestUIDStringMatchesCedar guards the fast path of uidString (a
// performance fix): it must equal cedar-go's EntityUID.String.
func TestUIDStringMatchesCedar(t *testing.T) {
	for _, id := range []string{"42", "", "spiffe://example.org/ns/a/sa/b", `a"b`, `a\b`, "it's", "tab\t",
		"nl\n", "\x00", "\x7f", "é", "e\u0301", "\u0301x", "日本", "\xff", "~ !#$%&()*+,-./:;<=>?@[]^_`{|}"} {
		u := types.NewEntityUID("Order", types.String(id))
		if got, want := uidString(u), u.String(); got != want {
			t.Errorf("uidString(%q) = %q, want %q", id, got, want)
		}
	}
}

func FuzzUIDString(f *testing.F) {
	f.Add("Order", "42")
	f.Add("Ns::Type", `x"y\z`)
	f.Fuzz(func(t *testing.T, typ, id string) {
		u := types.NewEntityUID(types.EntityType(typ), types.String(id))
		if got, want := uidString(u), u.String(); got != want {
			t.Fatalf("uidString = %q, want %q", got, want)
		}
	})
}
