package mcp

import (
	"strings"
	"testing"
)

func TestMetaTraceparent(t *testing.T) {
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	tests := []struct {
		name, body, want string
	}{
		{"in _meta", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","_meta":{"traceparent":"` + tp + `"}}}`, tp},
		{"no _meta", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t"}}`, ""},
		{"not a string", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","_meta":{"traceparent":1}}}`, ""},
		{"_meta not an object", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","_meta":"x"}}`, ""},
		{"too long", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","_meta":{"traceparent":"` + strings.Repeat("a", 56) + `"}}}`, ""},
		{"outside _meta", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"traceparent":"` + tp + `"}}}`, ""},
		{"params array", `{"jsonrpc":"2.0","id":1,"method":"ping","params":[]}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Parse([]byte(tt.body), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := b.Messages[0].Traceparent; got != tt.want {
				t.Fatalf("Traceparent = %q, want %q", got, tt.want)
			}
		})
	}
}
