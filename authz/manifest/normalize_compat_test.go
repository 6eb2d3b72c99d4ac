package manifest

import "testing"

// TestCompatCharRefused: upstreams that NFKC-normalise a path (Python's
// unicodedata, Java's Normalizer) or pass it through Windows' best-fit
// code-page mapping read a full-width "．．" as "..", "／" as "/", "ａ" as
// "a" and "１" as "1". A path with a character whose compatibility form is
// ASCII is refused: either reading could be the upstream's.
func TestCompatCharRefused(t *testing.T) {
	m, err := Parse("tricks.yaml", []byte(trickManifest))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, path, want string }{
		{"full-width dot segment", "/public/%EF%BC%8E%EF%BC%8E/admin/users", "bad_path:compat_char"},
		{"two dot leader", "/public/%E2%80%A5/admin/users", "bad_path:compat_char"},
		{"full-width slash", "/public%EF%BC%8Fadmin/users", "bad_path:compat_char"},
		{"full-width backslash", "/public%EF%BC%BCadmin/users", "bad_path:compat_char"},
		{"division slash (best fit)", "/public%E2%88%95admin/users", "bad_path:compat_char"},
		{"fraction slash (best fit)", "/public%E2%81%84admin/users", "bad_path:compat_char"},
		{"full-width letter", "/%EF%BD%81dmin/users", "bad_path:compat_char"},
		{"full-width digit in an id", "/orders/%EF%BC%94%EF%BC%92", "bad_path:compat_char"},
		{"ligature", "/pro%EF%AC%81le", "bad_path:compat_char"},
		{"raw full-width dot segment", "/public/．．/admin/users", "bad_path:compat_char"},
		// Letters an ASCII case folding reaches stay ambiguous_case.
		{"long s", "/admin/u%C5%BFers", "bad_path:ambiguous_case"},
		// Characters without an ASCII compatibility form are kept.
		{"accent", "/caf%C3%A9", "catch-all"},
		{"cjk", "/orders/%E6%B3%A8%E6%96%87", "order"},
		{"dotless i", "/kad%C4%B1n", "catch-all"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, proxyNorm := range []bool{false, true} {
				if got := tollgateReading(m.Lookup("GET", tt.path, false, proxyNorm, nil)); got != tt.want {
					t.Fatalf("proxy normalises %v: Tollgate reads %s, want %s", proxyNorm, got, tt.want)
				}
			}
		})
	}
}
