package mcp

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// decodedDotSegment reports whether a server that reads uri with net/url
// (url.Parse, then the percent-decoded Path, as the go-sdk's file
// resources and most Go servers do) sees a "." or ".." segment in it.
func decodedDotSegment(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil {
		return false // the server cannot read it either
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// TestResourceURIEncodedSlash: "%2f" is a "/" to a server that decodes
// the URI's path before resolving it, so "file:///public/..%2fetc/passwd"
// is /public/../etc/passwd there. A dot segment that appears only once
// %2F is read as "/" is refused like any other.
func TestResourceURIEncodedSlash(t *testing.T) {
	bad := []string{
		"file:///public/..%2fetc/passwd",
		"file:///public/..%2Fetc/passwd",
		"file:///public/%2e%2e%2fetc/passwd",
		"file:///public/x%2f..%2f..%2fetc/passwd",
		"file:///public/.%2fx",
		"file:///public/x%2F..",
	}
	for _, uri := range bad {
		if !decodedDotSegment(uri) {
			t.Fatalf("test case %q: net/url sees no dot segment; not an attack", uri)
		}
		body := `{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":` + quote(uri) + `}}`
		if _, err := Parse([]byte(body), Options{}); !errors.Is(err, ErrBadParams) {
			t.Errorf("uri %q: Parse error %v, want ErrBadParams", uri, err)
		}
	}
	for _, uri := range []string{"repo://acme%2Fweb/readme", "file:///public/a%2fb.md", "file:///public/..x%2f.y"} {
		body := `{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":` + quote(uri) + `}}`
		if _, err := Parse([]byte(body), Options{}); err != nil {
			t.Errorf("uri %q: Parse error %v, want none", uri, err)
		}
	}
}

// FuzzResourceURIDifferential fails when Parse accepts a resource URI in
// whose path net/url, decoding it as a Go server does, finds a dot segment.
func FuzzResourceURIDifferential(f *testing.F) {
	for _, s := range []string{"file:///public/readme.md", "file:///public/..%2fx", "file:///a/%2e%2E%2F", "repo://x/y?z#w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		body := `{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":` + quote(uri) + `}}`
		b, err := Parse([]byte(body), Options{})
		if err != nil {
			return
		}
		if got := b.Messages[0].URI; decodedDotSegment(got) {
			t.Fatalf("Parse accepted %q, in which net/url reads a dot segment", got)
		}
	})
}
