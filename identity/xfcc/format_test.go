package xfcc_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/identity/xfcc"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name  string
		elems []xfcc.Element
		want  string
	}{
		{"envoy doc example", []xfcc.Element{{
			By: []string{"http://frontend.lyft.com"}, Hash: hashA,
			Subject: "/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client",
			URI:     []string{"http://testclient.lyft.com"},
		}}, envoyDocOne},
		{"escapes and encoding", []xfcc.Element{
			{Cert: "-----BEGIN CERTIFICATE-----\nab+/=\n", Subject: `CN="x\y"`},
			{URI: []string{"a=b"}},
		}, `Cert=-----BEGIN%20CERTIFICATE-----%0Aab%2B%2F%3D%0A;Subject="CN=\"x\\y\"",URI="a=b"`},
		{"empty element written as empty subject", []xfcc.Element{{}}, `Subject=""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := xfcc.Format(tt.elems); got != tt.want {
				t.Errorf("Format:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// FuzzParse checks that Parse never panics, that a successful parse
// round-trips through Format, and that errors wrap ErrMalformed.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		envoyDocOne, envoyDocTwo, envoyDocDNS,
		`Subject="CN=\"Doe, John\"";URI=spiffe://example.org/a`,
		`Subject="a\\b\x";Cert="%2B%0A";Chain=abc`,
		`Subject=""`, `URI=a=b`, `URI=spiffe://td/a,,`, `Subject="x`, `=`, `;`, `,`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		elems, err := xfcc.Parse(header)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "xfcc: malformed header: ") {
				t.Fatalf("error %q lacks the ErrMalformed prefix", err)
			}
			return
		}
		if len(elems) == 0 || len(elems) > xfcc.MaxElements {
			t.Fatalf("Parse returned %d elements", len(elems))
		}
		formatted := xfcc.Format(elems)
		again, err := xfcc.Parse(formatted)
		if err != nil {
			t.Fatalf("Parse(Format(%q)) = %q: %v", header, formatted, err)
		}
		if !reflect.DeepEqual(elems, again) {
			t.Fatalf("round trip differs:\nheader %q\nformat %q\n first %#v\nsecond %#v", header, formatted, elems, again)
		}
	})
}
