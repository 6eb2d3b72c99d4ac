package manifest

import (
	"errors"
	"strings"
	"testing"
)

// nn marks a path that NormalizePath refuses as not_normalized while
// ResolvePath (a normalising proxy in front) resolves it.
const nn = "!not_normalized"

func TestNormalizePath(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // NormalizePath; nn: refused as not normalised
		resolved string // ResolvePath, when it differs from want
		code     PathCode
	}{
		{"root", "/", "/", "", ""},
		{"plain", "/orders/42", "/orders/42", "", ""},
		{"dotdot", "/orders/../admin", nn, "/admin", ""},
		{"encoded dotdot lower", "/orders/%2e%2e/admin", nn, "/admin", ""},
		{"encoded dotdot upper", "/orders/%2E%2E/admin", nn, "/admin", ""},
		{"mixed dotdot", "/orders/.%2e/admin", nn, "/admin", ""},
		{"dotdot clamps at root", "/../../admin", nn, "/admin", ""},
		{"dotdot to root", "/a/..", nn, nn, ""},
		{"double slash", "//admin", nn, "/admin", ""},
		{"many slashes", "/a///b//", nn, nn, ""},
		{"dot and trailing slash", "/admin/./", nn, nn, ""},
		{"trailing slash", "/orders/", nn, nn, ""},
		{"trailing dot", "/orders/.", nn, nn, ""},
		{"case kept", "/Admin", "/Admin", "", ""},
		{"query dropped", "/orders/42?x=/admin", "/orders/42", "", ""},
		{"query with dotdot dropped", "/orders/42?/../admin", "/orders/42", "", ""},
		{"fragment refused", "/orders/42#frag", "", "", PathFragment},
		{"hash in query", "/orders/42?a#b", "/orders/42", "", ""},
		{"decoded space", "/a%20b", "/a b", "", ""},
		{"escaped unreserved", "/%61dmin", nn, "/admin", ""},
		{"escaped tilde", "/a%7Eb", nn, "/a~b", ""},
		{"double encoded dots", "/orders/%252e%252e/admin", nn, "/orders/%252e%252e/admin", ""},
		{"encoded percent", "/a%25b", nn, "/a%25b", ""},
		{"encoded question mark kept encoded", "/a%3Fb", "/a%3Fb", "", ""},
		{"encoded hash kept encoded", "/a%23b", "/a%23b", "", ""},
		{"three dots literal", "/a/.../b", "/a/.../b", "", ""},
		{"dot prefix literal", "/a/.well-known", "/a/.well-known", "", ""},
		{"utf8", "/caf%C3%A9", "/café", "", ""},
		{"raw utf8", "/café", "/café", "", ""},
		{"empty", "", "", "", PathEmpty},
		{"relative", "orders", "", "", PathNotAbsolute},
		{"absolute form", "http://x/admin", "", "", PathNotAbsolute},
		{"asterisk", "*", "", "", PathNotAbsolute},
		{"encoded slash", "/orders%2F42", "", "", PathEncodedSeparator},
		{"encoded slash lower", "/orders%2f..%2fadmin", "", "", PathEncodedSeparator},
		{"encoded backslash", "/orders%5C..%5Cadmin", "", "", PathEncodedSeparator},
		{"encoded backslash lower", "/a%5cb", "", "", PathEncodedSeparator},
		{"raw backslash", "/orders\\..\\admin", "", "", PathBackslash},
		{"NUL", "/orders/42\x00", "", "", PathControlChar},
		{"encoded NUL", "/orders/42%00", "", "", PathControlChar},
		{"encoded newline", "/a%0Ab", "", "", PathControlChar},
		{"raw DEL", "/a\x7f", "", "", PathControlChar},
		{"bad escape", "/a%zz", "", "", PathBadEscape},
		{"truncated escape", "/a%2", "", "", PathBadEscape},
		{"lone percent", "/a%", "", "", PathBadEscape},
		{"invalid utf8", "/a%FF", "", "", PathBadUTF8},
		{"raw invalid utf8", "/a\xff", "", "", PathBadUTF8},
		{"semicolon", "/a;b", "", "", PathParam},
		{"jsessionid", "/orders/7;jsessionid=x", "", "", PathParam},
		{"encoded semicolon", "/orders/7%3Bx", "", "", PathParam},
		{"encoded semicolon lower", "/orders/7%3bx", "", "", PathParam},
		{"dotdot with param", "/orders/..;/admin", "", "", PathParam},
		{"dot with param", "/.;x/admin", "", "", PathParam},
		{"encoded dotdot with param", "/orders/%2e%2e;x/admin", "", "", PathParam},
		{"too long", "/" + strings.Repeat("a", MaxPathLength), "", "", PathTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resolved := tt.resolved
			if resolved == "" {
				resolved = tt.want
			}
			checkPath(t, "NormalizePath", NormalizePath, tt.in, tt.want, tt.code)
			checkPath(t, "ResolvePath", ResolvePath, tt.in, resolved, tt.code)
		})
	}
}

func checkPath(t *testing.T, name string, f func(string) (string, error), in, want string, code PathCode) {
	t.Helper()
	if want == nn {
		want, code = "", PathNotNormalized
	}
	got, err := f(in)
	if code != "" {
		var pe *PathError
		if !errors.As(err, &pe) || pe.Code != code || !errors.Is(err, ErrBadPath) {
			t.Fatalf("%s(%q) = %q, %v; want code %s", name, in, got, err, code)
		}
		return
	}
	if err != nil || got != want {
		t.Fatalf("%s(%q) = %q, %v; want %q", name, in, got, err, want)
	}
}

func TestPathErrorHasNoPath(t *testing.T) {
	_, err := NormalizePath("/a%zz?token=SECRET")
	if err == nil || strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "%zz") {
		t.Fatalf("error %v must name only the code", err)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"/", "/a/../b", "//x", "/%2e%2e/", "/a%2Fb", "/%252e", "/a?b#c", "/..;/x", "/a%25%3F%23", "/a/./b/", "/a%3Bb", "/%61"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := NormalizePath(in)
		checkNormalOutput(t, in, out, err)
		res, rerr := ResolvePath(in)
		checkNormalOutput(t, in, res, rerr)
		if err == nil {
			// A path in normal form is read the same by both.
			if rerr != nil || res != out {
				t.Fatalf("%q: NormalizePath %q but ResolvePath %q, %v", in, out, res, rerr)
			}
			raw, _, _ := strings.Cut(in, "?")
			if !strings.Contains(raw, "%") && out != raw {
				t.Fatalf("%q: NormalizePath changed an unescaped path to %q", in, out)
			}
		}
	})
}

func checkNormalOutput(t *testing.T, in, out string, err error) {
	t.Helper()
	if err != nil {
		if out != "" {
			t.Fatalf("error with output %q", out)
		}
		return
	}
	if !strings.HasPrefix(out, "/") {
		t.Fatalf("%q -> %q: not absolute", in, out)
	}
	for _, bad := range []string{"//", "/./", "/../", "?", "#", "\\", ";"} {
		if strings.Contains(out, bad) {
			t.Fatalf("%q -> %q contains %q", in, out, bad)
		}
	}
	if out != "/" && (strings.HasSuffix(out, "/") || strings.HasSuffix(out, "/.") || strings.HasSuffix(out, "/..")) {
		t.Fatalf("%q -> %q: trailing slash or dot segment", in, out)
	}
	if _, err := NormalizePath(out); err != nil && !strings.Contains(out, "%25") {
		t.Fatalf("not idempotent: %q -> %q -> %v", in, out, err)
	}
	if again, err := ResolvePath(out); err != nil || again != out {
		t.Fatalf("not idempotent: %q -> %q -> %q, %v", in, out, again, err)
	}
}

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
