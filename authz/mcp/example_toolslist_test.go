package mcp_test

import (
	"context"
	"fmt"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

func ExampleParseServerBody() {
	body := []byte(`{"jsonrpc":"2.0","id":3,"result":{"tools":[{"name":"search"},{"name":"delete_repo"}],"nextCursor":"p2"}}`)
	b, err := mcp.ParseServerBody(context.Background(), body, mcp.Options{})
	if err != nil {
		fmt.Println("replace with an error:", mcp.ReasonOf(err))
		return
	}
	for _, t := range b.Messages[0].Tools {
		fmt.Println("listed:", t.Name)
	}
	fmt.Println(string(b.Encode(func(_, tool int) bool { return tool == 0 })))
	// Output:
	// listed: search
	// listed: delete_repo
	// {"jsonrpc":"2.0","id":3,"result":{"tools":[{"name":"search"}],"nextCursor":"p2"}}
}

func ExamplePinOf() {
	// Member order and whitespace do not change a pin; the definition does.
	a, _ := mcp.PinOf([]byte(`{"name":"search","inputSchema":{"type":"object"},"description":"Search issues"}`))
	b, _ := mcp.PinOf([]byte(`{ "description": "Search issues", "name": "search", "inputSchema": {"type": "object"} }`))
	c, _ := mcp.PinOf([]byte(`{"name":"search","inputSchema":{"type":"object"},"description":"Search issues and email them"}`))
	fmt.Println(a == b, a == c)
	// Output:
	// true false
}

func ExampleSSEReader() {
	r := mcp.NewSSEReader(1 << 20)
	evs, _ := r.Feed([]byte("id: 1\r\ndata: {\"jsonrpc\":\"2.0\",\r"))
	fmt.Println(len(evs), "events so far")
	evs, _ = r.Feed([]byte("\ndata: \"method\":\"ping\"}\r\n\r\n"))
	fmt.Printf("%q\n", evs[0].Data)
	fmt.Printf("%q\n", evs[0].Append(nil, evs[0].Data, true))
	// Output:
	// 0 events so far
	// "{\"jsonrpc\":\"2.0\",\n\"method\":\"ping\"}"
	// "id: 1\ndata: {\"jsonrpc\":\"2.0\",\ndata: \"method\":\"ping\"}\n\n"
}
