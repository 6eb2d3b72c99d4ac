package xfcc_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/identity/xfcc"
)

func TestParseMalformed(t *testing.T) {
	tooMany := strings.Repeat("URI=spiffe://td/a,", xfcc.MaxElements) + "URI=spiffe://td/a"
	tests := []struct {
		name    string
		header  string
		wantMsg string // exact error text
		tooBig  bool
	}{
		{"empty header", "", "element 1: empty header at offset 0", false},
		{"unterminated quote", `URI=spiffe://td/a,Subject="CN=x`, "element 2: unterminated quote at offset 26", false},
		{"unterminated quote after escaped quote", `Subject="CN=x\"`, "element 1: unterminated quote at offset 8", false},
		{"garbage after closing quote", `Subject="CN=x"y;URI=spiffe://td/a`, `element 1: unexpected character 'y' after closing quote at offset 14`, false},
		{"space after closing quote", `Subject="CN=x" ;URI=spiffe://td/a`, `element 1: unexpected character 0x20 after closing quote at offset 14`, false},
		{"quote inside unquoted value", `URI=spiffe://td/"a"`, `element 1: invalid character '"' in unquoted value at offset 16`, false},
		{"space in unquoted value", `URI=spiffe://td/a b`, "element 1: invalid character 0x20 in unquoted value at offset 17", false},
		{"control character in quotes", "Subject=\"a\x00b\"", "element 1: invalid character 0x00 in quoted value at offset 10", false},
		{"empty value", "URI=;By=spiffe://td/p", "element 1: empty value for key URI at offset 4", false},
		{"empty quoted value", `URI=""`, "element 1: empty value for key URI at offset 4", false},
		{"empty value at end", "URI=spiffe://td/a;DNS=", "element 1: empty value for key DNS at offset 22", false},
		{"empty key", "=x", "element 1: empty key at offset 0", false},
		{"missing '='", "URI", `element 1: expected '=' after key "URI" at offset 3`, false},
		{"invalid key character", "U-RI=x", `element 1: expected '=' after key "U" at offset 1`, false},
		{"key starts with space", " URI=x", "element 1: invalid character 0x20 in key at offset 0", false},
		{"unknown key", "URI=spiffe://td/a;SAN=x", `element 1: unknown key "SAN" at offset 18`, false},
		{"long unknown key is clipped", strings.Repeat("X", 40) + "=1", `element 1: unknown key "XXXXXXXXXXXXXXXX"... at offset 0`, false},
		{"duplicate Cert", "Cert=a;Cert=b", "element 1: duplicate key Cert at offset 7", false},
		{"duplicate Chain", "Chain=a;chain=b", "element 1: duplicate key Chain at offset 8", false},
		{"duplicate Hash", "Hash=" + hashA + ";Hash=" + hashA, "element 1: duplicate key Hash at offset 70", false},
		{"duplicate Subject, even empty", `Subject="";Subject="CN=x"`, "element 1: duplicate key Subject at offset 11", false},
		{"bad hash", "Hash=abc", "element 1: Hash is not 64 hex digits (SHA-256) at offset 5", false},
		{"non-hex hash", "Hash=" + strings.Repeat("g", 64), "element 1: Hash is not 64 hex digits (SHA-256) at offset 5", false},
		{"bad URL encoding in Cert", `Cert="%ZZ"`, "element 1: invalid URL encoding in Cert at offset 5", false},
		{"truncated URL encoding in Chain", `URI=spiffe://td/a,Chain=abc%4`, "element 2: invalid URL encoding in Chain at offset 24", false},
		{"empty element in the middle", "URI=spiffe://td/a,,URI=spiffe://td/b", "element 2: empty element at offset 18", false},
		{"leading comma", ",URI=spiffe://td/a", "element 1: empty element at offset 0", false},
		{"trailing comma", "URI=spiffe://td/a,", "element 2: empty element at offset 18", false},
		{"trailing semicolon", "URI=spiffe://td/a;", "element 1: empty key-value pair at offset 18", false},
		{"double semicolon", "URI=spiffe://td/a;;DNS=x", "element 1: empty key-value pair at offset 18", false},
		{"semicolon before comma", "URI=spiffe://td/a;,URI=spiffe://td/b", "element 1: empty key-value pair at offset 18", false},
		{"space after comma", "URI=spiffe://td/a, URI=spiffe://td/b", "element 2: invalid character 0x20 in key at offset 18", false},
		{"too many elements", tooMany, "more than 16 elements (offset 288)", true},
		{"too large", "Subject=\"" + strings.Repeat("a", xfcc.MaxHeaderBytes) + "\"", "header is 65546 bytes, limit is 65536", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := xfcc.Parse(tt.header)
			if err == nil {
				t.Fatalf("Parse succeeded with %#v, want error", got)
			}
			if !errors.Is(err, xfcc.ErrMalformed) {
				t.Errorf("error %v does not wrap ErrMalformed", err)
			}
			if errors.Is(err, xfcc.ErrTooLarge) != tt.tooBig {
				t.Errorf("errors.Is(err, ErrTooLarge) = %v, want %v", !tt.tooBig, tt.tooBig)
			}
			prefix := "xfcc: malformed header: "
			if tt.tooBig {
				prefix += "header exceeds limits: "
			}
			if err.Error() != prefix+tt.wantMsg {
				t.Errorf("error text\n got %q\nwant %q", err.Error(), prefix+tt.wantMsg)
			}
			if got != nil {
				t.Errorf("Parse returned elements %#v with an error", got)
			}
		})
	}
}

// TestParseErrorsDoNotEchoHeader guards against leaking (possibly large)
// header values into logs through error messages.
func TestParseErrorsDoNotEchoHeader(t *testing.T) {
	const marker = "SECRETMARKER"
	for _, h := range []string{
		`Subject="` + marker,
		`URI=` + marker + `;Cert="%ZZ` + marker + `"`,
		`URI=` + marker + `;URI=` + marker + ` x`,
		`Subject="` + marker + `"` + marker,
	} {
		_, err := xfcc.Parse(h)
		if err == nil {
			t.Fatalf("Parse(%q) succeeded", h)
		}
		if strings.Contains(err.Error(), marker) {
			t.Errorf("error %q echoes header content", err)
		}
	}
}
