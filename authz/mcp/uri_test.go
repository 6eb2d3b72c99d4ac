package mcp

import (
	"encoding/json"
	"errors"
	"testing"
)

// TestResourceURIDotSegments: a permit such as
// resource like McpResource::"file:///public/*" must not cover
// "file:///public/../etc/passwd", which a server resolving the URI reads
// as /etc/passwd. A resource URI whose path has a dot segment (also
// percent-encoded), a backslash or a control character is refused.
func TestResourceURIDotSegments(t *testing.T) {
	bad := []string{
		"file:///public/../etc/passwd",
		"file:///public/./x",
		"file:///public/..",
		"file:///public/%2e%2e/etc/passwd",
		"file:///public/%2E./etc/passwd",
		"file:///public/.%2E",
		"file:///public\\..\\etc\\passwd",
		"repo://acme/../evil/readme",
		"file:///public/x\u0000",
		"file:///public/x\n",
		"file:///public/%00",
		"file:///public/..?x=1",
		"file:///public/..#top",
		"file:///public/%5C..%5Cetc",
	}
	for _, uri := range bad {
		body := `{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":` + quote(uri) + `}}`
		if _, err := Parse([]byte(body), Options{}); !errors.Is(err, ErrBadParams) {
			t.Errorf("uri %q: Parse error %v, want ErrBadParams", uri, err)
		}
	}
	for _, uri := range []string{"file:///public/readme.md", "repo://acme/readme", "https://x.example/a..b/.c", "ui://widget", "file:///public/.hidden"} {
		body := `{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":` + quote(uri) + `}}`
		if _, err := Parse([]byte(body), Options{}); err != nil {
			t.Errorf("uri %q: Parse error %v, want none", uri, err)
		}
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
