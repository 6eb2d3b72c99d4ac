package identity

import (
	"errors"
	"strings"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

func TestIDPattern(t *testing.T) {
	tests := []struct {
		pattern string
		match   []string
		miss    []string
	}{
		{"spiffe://example.org/ns/shop/sa/frontend",
			[]string{"spiffe://example.org/ns/shop/sa/frontend"},
			[]string{"spiffe://example.org/ns/shop/sa/frontend/x", "spiffe://example.org/ns/shop/sa/frontend2", "spiffe://other.org/ns/shop/sa/frontend", "spiffe://example.org"}},
		{"spiffe://example.org/ns/shop/*",
			[]string{"spiffe://example.org/ns/shop/sa/frontend", "spiffe://example.org/ns/shop/x"},
			[]string{"spiffe://example.org/ns/shop", "spiffe://example.org/ns/shopper/sa/x", "spiffe://other.org/ns/shop/sa/frontend", "spiffe://example.org/ns"}},
		{"spiffe://example.org/*",
			[]string{"spiffe://example.org/a", "spiffe://example.org/ns/shop/sa/x"},
			[]string{"spiffe://example.org", "spiffe://example.org.evil/a", "spiffe://other.org/a"}},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			p, err := ParseIDPattern(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if p.String() != tt.pattern {
				t.Errorf("String() = %q", p.String())
			}
			for _, s := range tt.match {
				if !p.Matches(spiffeid.RequireFromString(s)) {
					t.Errorf("%s does not match %s", tt.pattern, s)
				}
			}
			for _, s := range tt.miss {
				if p.Matches(spiffeid.RequireFromString(s)) {
					t.Errorf("%s matches %s", tt.pattern, s)
				}
			}
		})
	}
	if (IDPattern{}).Matches(spiffeid.RequireFromString("spiffe://example.org/a")) {
		t.Error("the zero pattern matches")
	}
}

func TestParseIDPatternRefuses(t *testing.T) {
	for _, s := range []string{
		"", "*", "/*", "spiffe://example.org", "spiffe://*/a", "spiffe://example.org*", "spiffe://example.org/a*",
		"spiffe://example.org/*/b", "spiffe://example.org/**", "spiffe://example.org/a/", "spiffe://example.org//*",
		"spiffe://example.org/../*", "spiffe://Example.org/a", "example.org/a", "spiffe://example.org/a?x",
	} {
		if p, err := ParseIDPattern(s); err == nil || !errors.Is(err, ErrBadPattern) || !strings.Contains(err.Error(), "pattern") {
			t.Errorf("ParseIDPattern(%q) = %v, %v; want ErrBadPattern", s, p, err)
		}
	}
}

// FuzzParseIDPattern: a pattern that parses prints back as itself, and
// matches only IDs of its trust domain, with its path or under it.
func FuzzParseIDPattern(f *testing.F) {
	for _, s := range []string{"spiffe://example.org/a/*", "spiffe://example.org/*", "spiffe://example.org/a/b", "spiffe://x/*/*"} {
		f.Add(s, "spiffe://example.org/a/b")
	}
	f.Fuzz(func(t *testing.T, s, id string) {
		p, err := ParseIDPattern(s)
		if err != nil {
			if p != (IDPattern{}) {
				t.Fatal("error with a pattern")
			}
			return
		}
		if p.String() != s {
			t.Fatalf("%q prints as %q", s, p.String())
		}
		x, err := spiffeid.FromString(id)
		if err != nil || !p.Matches(x) {
			return
		}
		base := strings.TrimSuffix(s, "/*")
		if x.String() != s && !strings.HasPrefix(x.String(), base+"/") {
			t.Fatalf("%s matches %s", s, x)
		}
	})
}
