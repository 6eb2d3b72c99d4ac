package mcp_test

import (
	"errors"
	"fmt"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

func ExampleParse() {
	body := []byte(`{"jsonrpc":"2.0","id":7,"method":"tools/call",
		"params":{"name":"delete_file","arguments":{"path":"/tmp/x","force":true,"retries":3}}}`)
	b, err := mcp.Parse(body, mcp.Options{})
	if err != nil {
		fmt.Println("deny:", mcp.ReasonOf(err))
		return
	}
	m := b.Messages[0]
	fmt.Println(m.Method, m.Tool, string(m.ID))
	path, _ := m.Arguments.Get("path")
	retries, _ := m.Arguments.Get("retries")
	fmt.Println(path, retries)
	// Output:
	// tools/call delete_file 7
	// /tmp/x 3
}

func ExampleParse_duplicateKey() {
	// A parser that lets the last key win would see "delete_file".
	body := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","\u006eame":"delete_file"}}`)
	_, err := mcp.Parse(body, mcp.Options{})
	fmt.Println(errors.Is(err, mcp.ErrDuplicateKey))
	fmt.Println(string(mcp.ErrorResponse(nil, mcp.ReasonOf(err).RPCCode(), "parse error", "dec-1")))
	// Output:
	// true
	// {"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error","data":{"decision_id":"dec-1"}}}
}

func ExampleErrorResponse() {
	b, _ := mcp.Parse([]byte(`{"jsonrpc":"2.0","id":"req-1","method":"tools/call","params":{"name":"t"}}`), mcp.Options{})
	fmt.Println(string(mcp.ErrorResponse(b.Messages[0].ID, mcp.CodePermissionDenied, "permission denied", "dec-9")))
	// Output:
	// {"jsonrpc":"2.0","id":"req-1","error":{"code":-32001,"message":"permission denied","data":{"decision_id":"dec-9"}}}
}

func ExampleBatchErrorResponse() {
	b, _ := mcp.Parse([]byte(`[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"}]`), mcp.Options{})
	fmt.Println(string(mcp.BatchErrorResponse(b.RequestIDs(), mcp.CodePermissionDenied, "permission denied", "dec-3")))
	// Output:
	// [{"jsonrpc":"2.0","id":1,"error":{"code":-32001,"message":"permission denied","data":{"decision_id":"dec-3"}}}]
}
