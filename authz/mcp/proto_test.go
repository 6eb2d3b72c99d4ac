package mcp

import (
	"errors"
	"testing"
)

// TestParseRefusesProtoKey: JSON.parse makes "__proto__" an own member,
// but a JavaScript server that copies the object by assignment or
// Object.assign (as MCP servers do with arguments) sets the copy's
// prototype instead, and then reads the members under "__proto__" as the
// object's own: {"__proto__":{"path":"/etc/passwd"}} is path=/etc/passwd
// there, while policy sees no "path" argument at all (node:
// Object.assign({}, JSON.parse(body)).path). A "__proto__" key, however
// spelled and at any depth, is refused.
func TestParseRefusesProtoKey(t *testing.T) {
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"__proto__":{"path":"/etc/passwd"}}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"opts":[{"__proto__":{"force":true}}]}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"__pro\u0074o__":{"path":"/etc/passwd"}}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","__proto__":{"name":"delete_repo"}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"ping","__proto__":{"method":"tools/call"}}`,
	} {
		if _, err := Parse([]byte(body), Options{}); !errors.Is(err, ErrAmbiguousMember) {
			t.Errorf("%s: Parse error %v, want ErrAmbiguousMember", body, err)
		}
	}
	ok := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"proto":1,"__proto":2,"constructor":3}}}`
	if _, err := Parse([]byte(ok), Options{}); err != nil {
		t.Errorf("%s: %v, want accepted", ok, err)
	}
}
