package authz

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizePath(t *testing.T) {
	tests := []struct {
		name, in, want string
		code           PathCode
	}{
		{"root", "/", "/", ""},
		{"plain", "/orders/42", "/orders/42", ""},
		{"dotdot", "/orders/../admin", "/admin", ""},
		{"encoded dotdot lower", "/orders/%2e%2e/admin", "/admin", ""},
		{"encoded dotdot upper", "/orders/%2E%2E/admin", "/admin", ""},
		{"mixed dotdot", "/orders/.%2e/admin", "/admin", ""},
		{"dotdot clamps at root", "/../../admin", "/admin", ""},
		{"dotdot to root", "/a/..", "/", ""},
		{"double slash", "//admin", "/admin", ""},
		{"many slashes", "/a///b//", "/a/b", ""},
		{"dot and trailing slash", "/admin/./", "/admin", ""},
		{"trailing slash", "/orders/", "/orders", ""},
		{"case kept", "/Admin", "/Admin", ""},
		{"query dropped", "/orders/42?x=/admin", "/orders/42", ""},
		{"query with dotdot dropped", "/orders/42?/../admin", "/orders/42", ""},
		{"fragment dropped", "/orders/42#frag", "/orders/42", ""},
		{"decoded space", "/a%20b", "/a b", ""},
		{"double encoded dots stay literal", "/orders/%252e%252e/admin", "/orders/%252e%252e/admin", ""},
		{"encoded percent kept encoded", "/a%25b", "/a%25b", ""},
		{"encoded question mark kept encoded", "/a%3Fb", "/a%3Fb", ""},
		{"encoded hash kept encoded", "/a%23b", "/a%23b", ""},
		{"three dots literal", "/a/.../b", "/a/.../b", ""},
		{"dot prefix literal", "/a/.well-known", "/a/.well-known", ""},
		{"utf8", "/caf%C3%A9", "/café", ""},
		{"raw utf8", "/café", "/café", ""},
		{"semicolon literal", "/a;b", "/a;b", ""},
		{"empty", "", "", PathEmpty},
		{"relative", "orders", "", PathNotAbsolute},
		{"absolute form", "http://x/admin", "", PathNotAbsolute},
		{"asterisk", "*", "", PathNotAbsolute},
		{"encoded slash", "/orders%2F42", "", PathEncodedSeparator},
		{"encoded slash lower", "/orders%2f..%2fadmin", "", PathEncodedSeparator},
		{"encoded backslash", "/orders%5C..%5Cadmin", "", PathEncodedSeparator},
		{"encoded backslash lower", "/a%5cb", "", PathEncodedSeparator},
		{"raw backslash", "/orders\\..\\admin", "", PathBackslash},
		{"NUL", "/orders/42\x00", "", PathControlChar},
		{"encoded NUL", "/orders/42%00", "", PathControlChar},
		{"encoded newline", "/a%0Ab", "", PathControlChar},
		{"raw DEL", "/a\x7f", "", PathControlChar},
		{"bad escape", "/a%zz", "", PathBadEscape},
		{"truncated escape", "/a%2", "", PathBadEscape},
		{"lone percent", "/a%", "", PathBadEscape},
		{"invalid utf8", "/a%FF", "", PathBadUTF8},
		{"raw invalid utf8", "/a\xff", "", PathBadUTF8},
		{"dotdot with param", "/orders/..;/admin", "", PathDotParam},
		{"dot with param", "/.;x/admin", "", PathDotParam},
		{"encoded dotdot with param", "/orders/%2e%2e;x/admin", "", PathDotParam},
		{"too long", "/" + strings.Repeat("a", MaxPathLength), "", PathTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizePath(tt.in)
			if tt.code != "" {
				var pe *PathError
				if !errors.As(err, &pe) || pe.Code != tt.code || !errors.Is(err, ErrBadPath) {
					t.Fatalf("NormalizePath(%q) = %q, %v; want code %s", tt.in, got, err, tt.code)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizePath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestPathErrorHasNoPath(t *testing.T) {
	_, err := NormalizePath("/a%zz?token=SECRET")
	if err == nil || strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "%zz") {
		t.Fatalf("error %v must name only the code", err)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"/", "/a/../b", "//x", "/%2e%2e/", "/a%2Fb", "/%252e", "/a?b#c", "/..;/x", "/a%25%3F%23", "/a/./b/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := NormalizePath(in)
		if err != nil {
			if out != "" {
				t.Fatalf("error with output %q", out)
			}
			return
		}
		if !strings.HasPrefix(out, "/") {
			t.Fatalf("%q -> %q: not absolute", in, out)
		}
		for _, bad := range []string{"//", "/./", "/../", "?", "#", "\\"} {
			if strings.Contains(out, bad) {
				t.Fatalf("%q -> %q contains %q", in, out, bad)
			}
		}
		if out != "/" && (strings.HasSuffix(out, "/") || strings.HasSuffix(out, "/.") || strings.HasSuffix(out, "/..")) {
			t.Fatalf("%q -> %q: trailing slash or dot segment", in, out)
		}
		again, err := NormalizePath(out)
		if err != nil || again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", in, out, again, err)
		}
	})
}
