package manifest

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestCompatCharRefused: upstreams that NFKC-normalise a path (Python's
// unicodedata, Java's Normalizer) or pass it through Windows' best-fit
// code-page mapping read a full-width "．．" as "..", "／" as "/", "ａ" as
// "a", "１" as "1" and "ϰ" as "κ". A path not in NFKC form is refused:
// either reading could be the upstream's.
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
		// Not ASCII, but not NFKC either: the id would change.
		{"kappa symbol in an id", "/orders/%CF%B0", "bad_path:compat_char"},
		{"decomposed accent in an id", "/orders/e%CC%81", "bad_path:compat_char"},
		{"long s in an id", "/orders/%C5%BFecret", "bad_path:compat_char"},
		// Letters an ASCII case folding reaches, changing the route, stay
		// ambiguous_case.
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

// FuzzCompatDifferential compares Tollgate's reading of a path with an
// upstream that NFKC-normalises the decoded path before routing (and
// matches case-insensitively, the loosest router): whenever Tollgate
// accepts a path, that upstream takes the same route with the same
// captured values, or the path is one no upstream could route (a
// separator or dot segment appears only after normalisation is refused).
func FuzzCompatDifferential(f *testing.F) {
	for _, p := range pathTricks {
		f.Add(p)
	}
	for _, p := range []string{"/public/%EF%BC%8E%EF%BC%8E/admin/users", "/%EF%BD%81dmin/users", "/orders/%EF%BC%94%EF%BC%92", "/caf%C3%A9", "/orders/%C3%A9"} {
		f.Add(p)
	}
	m, err := Parse("tricks.yaml", []byte(trickManifest))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, target string) {
		lk := m.Lookup("GET", target, false, false, nil)
		if lk.BadPath != "" || lk.Rule == nil {
			return
		}
		nfkc := norm.NFKC.String(lk.Path)
		segs := strings.Split(nfkc[1:], "/")
		for _, s := range segs {
			if s == "" || s == "." || s == ".." {
				t.Fatalf("%q: Tollgate routes %q, an NFKC upstream reads %q", target, lk.Path, nfkc)
			}
		}
		up := m.Lookup("GET", nfkc, false, false, nil)
		if up.BadPath != "" {
			return // Tollgate refuses the NFKC form itself: not a route for anyone
		}
		if up.Rule != lk.Rule || strings.Join(up.Vals, "/") != strings.Join(lk.Vals, "/") {
			t.Fatalf("%q: Tollgate routes %s %q, an NFKC upstream %v %q", target, lk.Rule.Name, lk.Vals, up.Rule, up.Vals)
		}
	})
}
