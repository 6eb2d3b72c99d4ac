package manifest

import "testing"

// TestGRPCCaseVariantRefused: grpc-go routes :path case-sensitively, but
// grpc-dotnet (ASP.NET Core endpoint routing) and Connect handlers behind
// case-insensitive routers do not: /pkg.Svc/DELETE runs Delete there. A
// gRPC path whose case folding names another gRPC route than the one
// Tollgate matched (a service wildcard, an HTTP catch-all, or none) is
// refused as ambiguous_case, as it is for HTTP routes.
func TestGRPCCaseVariantRefused(t *testing.T) {
	const wildcard = `routes:
  - match: {grpc: /pkg.Svc/*}
    action: Read
    resource: {type: T, id: '{method}'}
  - match: {grpc: /pkg.Svc/Delete}
    action: Delete
    resource: {type: T, id: x}
`
	const catchAll = `routes:
  - match: {grpc: /pkg.Svc/Forbidden}
    action: Forbidden
    resource: {type: T, id: x}
  - match: {path: '/{rest...}'}
    action: Any
    resource: {type: T, id: '{rest}'}
`
	for _, tc := range []struct {
		name, manifest, path string
		grpc                 bool
		want                 PathCode
		action               string // when want is ""
	}{
		{"exact method", wildcard, "/pkg.Svc/Delete", true, "", "Delete"},
		{"other method by wildcard", wildcard, "/pkg.Svc/List", true, "", "Read"},
		{"upper-case method under wildcard", wildcard, "/pkg.Svc/DELETE", true, PathAmbiguousCase, ""},
		{"lower-case method under wildcard", wildcard, "/pkg.Svc/delete", true, PathAmbiguousCase, ""},
		{"all lower-case", wildcard, "/pkg.svc/delete", true, PathAmbiguousCase, ""},
		{"service case", wildcard, "/PKG.SVC/Delete", true, PathAmbiguousCase, ""},
		{"catch-all exact", catchAll, "/pkg.Svc/Forbidden", true, "", "Forbidden"},
		{"catch-all upper-case", catchAll, "/pkg.Svc/FORBIDDEN", true, PathAmbiguousCase, ""},
		{"catch-all lower-case", catchAll, "/pkg.svc/forbidden", true, PathAmbiguousCase, ""},
		{"catch-all connect lower-case", catchAll, "/pkg.svc/forbidden", false, PathAmbiguousCase, ""},
		{"catch-all unrelated", catchAll, "/pkg.Svc/Other", true, "", "Any"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse("m.yaml", []byte(tc.manifest))
			if err != nil {
				t.Fatal(err)
			}
			lk := m.Lookup("POST", tc.path, tc.grpc, false, nil)
			if lk.BadPath != tc.want {
				t.Fatalf("BadPath = %q, want %q (rule %v)", lk.BadPath, tc.want, lk.Rule)
			}
			if tc.want == "" && (lk.Rule == nil || lk.Rule.Action != tc.action) {
				t.Fatalf("rule = %+v, want action %s", lk.Rule, tc.action)
			}
		})
	}
}
