package envoy

import (
	"context"
	"strconv"
	"strings"
	"testing"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
)

// TestContentLengthThatCannotBeReadIsNotWhole: a Content-Length that is
// present but not one non-negative decimal number ("abc", "-1", "+7",
// "5,9") cannot confirm that the body reached Tollgate whole, so the body
// counts as truncated (which denies MCP routes). Repeated equal values
// (RFC 9110 §8.6) are that value.
func TestContentLengthThatCannotBeReadIsNotWhole(t *testing.T) {
	tests := []struct {
		value     string
		truncated bool
		length    int64
	}{
		{"7", false, 7},
		{"7, 7", false, 7},
		{"7,7", false, 7},
		{"abc", true, -1},
		{"-1", true, -1},
		{"+7", true, -1},
		{"5,9", true, -1},
		{"", true, -1},
		{"7 ", false, 7},
		{"0x7", true, -1},
		{"99999999999999999999999", true, -1},
	}
	for _, tt := range tests {
		rec := &recorder{Decision: allowDecision()}
		client := dial(t, NewServer(rec, Options{}))
		req := &authv3.CheckRequest{Attributes: &authv3.AttributeContext{Request: &authv3.AttributeContext_Request{
			Http: &authv3.AttributeContext_HttpRequest{Method: "POST", Path: "/mcp", RawBody: []byte(`{"a":1}`),
				Headers: map[string]string{"content-length": tt.value}},
		}}}
		if _, err := client.Check(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if g := rec.Got; g.BodyTruncated != tt.truncated || g.ContentLength != tt.length {
			t.Errorf("content-length %q: truncated=%v length=%d, want %v, %d", tt.value, g.BodyTruncated, g.ContentLength, tt.truncated, tt.length)
		}
	}
}

// FuzzContentLength: contentLength reads a Content-Length exactly when
// every comma-separated element is a decimal number of at most 18 digits
// (longer is refused, leading zeros or not), all of them equal; the
// length is that number, and anything else reads as -1.
func FuzzContentLength(f *testing.F) {
	for _, s := range []string{"7", "7, 7", "007,7", "5,9", "", " ", ",", "-1", "+7", "1e3", "99999999999999999999999", "7\t,\t7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		n, ok := contentLength(v)
		want, wantOK := int64(-1), true
		for _, part := range strings.Split(v, ",") {
			part = strings.Trim(part, " \t")
			m, err := strconv.ParseUint(part, 10, 63)
			if err != nil || part[0] == '+' || len(part) > 18 {
				wantOK = false
				break
			}
			if want >= 0 && int64(m) != want {
				wantOK = false
				break
			}
			want = int64(m)
		}
		if ok != wantOK {
			t.Fatalf("contentLength(%q) = %d, %v; want ok=%v", v, n, ok, wantOK)
		}
		if ok && n != want {
			t.Fatalf("contentLength(%q) = %d, want %d", v, n, want)
		}
		if !ok && n != -1 {
			t.Fatalf("contentLength(%q) = %d with !ok, want -1", v, n)
		}
	})
}
