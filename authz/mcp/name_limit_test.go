package mcp

import (
	"errors"
	"strings"
	"testing"
)

// TestNameLimit: a tool or prompt name or resource URI of MaxNameBytes is
// read; one byte more is bad_params, whichever member carries it.
func TestNameLimit(t *testing.T) {
	at := strings.Repeat("a", MaxNameBytes)
	over := at + "b"
	for _, tc := range []struct {
		method, member, prefix string
	}{
		{"tools/call", "name", ""},
		{"prompts/get", "name", ""},
		{"resources/read", "uri", "file:///"},
		{"resources/subscribe", "uri", "file:///"},
	} {
		body := func(v string) []byte {
			return []byte(`{"jsonrpc":"2.0","id":1,"method":"` + tc.method + `","params":{"` + tc.member + `":"` + v + `"}}`)
		}
		if _, err := Parse(body(tc.prefix+at[len(tc.prefix):]), Options{}); err != nil {
			t.Errorf("%s: %d bytes refused: %v", tc.method, MaxNameBytes, err)
		}
		_, err := Parse(body(tc.prefix+over[len(tc.prefix):]), Options{})
		if !errors.Is(err, ErrBadParams) {
			t.Errorf("%s: %d bytes: err = %v, want ErrBadParams", tc.method, MaxNameBytes+1, err)
		}
	}
}
