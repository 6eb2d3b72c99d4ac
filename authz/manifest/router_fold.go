package manifest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Case folding. Upstream routers disagree on case: Spring, Starlette and
// net/http match exactly, Express and ASP.NET ignore ASCII case, and some
// runtimes fold further (.NET's OrdinalIgnoreCase upper-cases "ı" to "I"
// and "ſ" to "S"; Unicode simple folding maps "K", the Kelvin sign, to
// "k"). Tollgate matches as the manifest declares (exactly, or ASCII
// case-insensitively with path_case: insensitive) and also looks the path
// up with the loosest folding, foldKey, in a shadow table. When the two
// readings take different routes, some upstream could serve another route
// than the one Tollgate matched, so the path is refused (ambiguous_case).

// ambiguousCase reports a path whose loosest case-folded reading takes
// another route (or method outcome) than the table's own reading. The
// foldable letters can be on either side: "/Admin/users" against a
// "/admin/users" route, or "/admin/users" against an "/Admin/users" one.
func (t *routeTable) ambiguousCase(method, path string, grpc bool, rt *Rule, miss bool) bool {
	if t.shadow == nil || !t.foldLits && !mayFold(path, t.foldCase) {
		return false
	}
	var buf [8]string
	srt, _, smiss := t.shadow.match(method, path, grpc, buf[:0])
	return srt != rt || smiss != miss
}

// mayFold reports a path that a looser folding could read differently:
// one with an upper-case ASCII letter (unless ASCII case is already
// folded) or any non-ASCII byte.
func mayFold(path string, asciiFolded bool) bool {
	for i := 0; i < len(path); i++ {
		if c := path[i]; c >= utf8.RuneSelf || !asciiFolded && 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

// foldKey is the loosest folding: every rune lower-cased, and runes that
// some runtime folds to an ASCII letter replaced by that letter.
func foldKey(s string) string {
	return strings.Map(func(r rune) rune {
		if a := asciiFold(r); a != 0 {
			return a
		}
		return unicode.ToLower(r)
	}, s)
}

// asciiFold returns the lower-case ASCII letter r folds to, or 0.
func asciiFold(r rune) rune {
	for _, f := range []rune{unicode.ToLower(r), unicode.ToUpper(r)} {
		if f < utf8.RuneSelf {
			return unicode.ToLower(f)
		}
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < utf8.RuneSelf {
			return unicode.ToLower(f)
		}
	}
	return 0
}

// lowerASCII lower-cases ASCII letters only, allocating only when needed.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// addGRPC adds a gRPC route. gRPC routes match the exact :path (grpc-go
// routes case-sensitively); only the shadow keys them by foldKey, since
// grpc-dotnet (ASP.NET Core routing) and Connect behind case-insensitive
// routers run /pkg.Svc/DELETE as Delete. Their foldable letters count as
// foldLits, so an all-lower-case path is checked against them too.
func (t *routeTable) addGRPC(r *Rule) {
	svc, method, _ := strings.Cut(r.GRPC[1:], "/")
	t.foldLits = t.foldLits || foldKey(r.GRPC) != r.GRPC
	if method == "*" {
		t.grpcService[t.grpcKey(svc)] = r
	} else {
		t.grpcExact[t.grpcKey(r.GRPC)] = r
	}
}

// grpcKey is s as a key of the gRPC maps: exact, or foldKey in the shadow.
func (t *routeTable) grpcKey(s string) string {
	if t.shadow == nil && t.key != nil {
		return t.key(s)
	}
	return s
}
