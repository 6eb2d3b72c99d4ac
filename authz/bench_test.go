package authz

import (
	"context"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity"
)

func BenchmarkNormalize(b *testing.B) {
	for _, p := range []string{"/orders/42", "/orders/%2e%2e/admin//x/?q=1"} {
		b.Run(p, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = NormalizePath(p)
			}
		})
	}
}

func BenchmarkMap(b *testing.B) {
	mp := mapper{signals: []Signal{{Name: "risk", From: FromHeader, Key: "x-risk-score", Type: TypeLong}}}
	m := ordersManifest(b)
	id := identity.Identity{ID: spiffeid.RequireFromString(frontend), Source: identity.SourcePrincipal}
	r := req(frontend, "GET", "/orders/42")
	r.Headers["x-risk-score"] = "10"
	var vals [8]string
	b.ReportAllocs()
	for b.Loop() {
		path, _ := normalize(r.Path)
		rt, v := m.match(r.Method, path, false, vals[:0])
		if _, err := mp.build(r, &id, rt, v, path, testTime); err != nil {
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
