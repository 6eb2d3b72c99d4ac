package authz

import (
	"context"
	"testing"
)

// FuzzDoorParity: a method, host and path that the Envoy door refuses
// (bad_request or bad_path), whether or not the proxy normalises paths,
// are never allowed as an AuthZEN evaluation's context.method, host and
// path.
func FuzzDoorParity(f *testing.F) {
	for _, s := range [][3]string{
		{"GET", "orders.example.org", "/orders/42"},
		{"delete", "orders.example.org", "/orders/42"},
		{"GET", "x@admin.example.org", "/orders/42"},
		{"GET", "orders.example.org", "/ａdmin/users"},
		{"GET", "orders.example.org", "/ADMIN/users"},
		{"GET", "orders.example.org", "/orders/42 /admin"},
		{"GET", "orders.example.org", "/orders/%2e%2e/admin"},
		{"GET", "orders.example.org", "/orders/42;x"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	e := newTestEngine(f, parityPolicies(f))
	f.Fuzz(func(t *testing.T, method, host, path string) {
		refused := true
		for _, normalized := range []bool{false, true} {
			r := req(frontend, method, path)
			r.Host, r.ProxyNormalizedPath = host, normalized
			if d := e.Check(context.Background(), r); d.Code != CodeBadRequest && d.Code != CodeBadPath {
				refused = false
			}
		}
		if !refused {
			return
		}
		q := with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) {
			q.Context = map[string]any{"method": method, "path": path, "host": host}
		})
		if d := e.Evaluate(context.Background(), q); d.Allowed() {
			t.Fatalf("the Envoy door refuses %q %q (host %q); the AuthZEN door allowed it", method, path, host)
		}
	})
}
