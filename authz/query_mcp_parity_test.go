package authz

import (
	"context"
	"strings"
	"testing"
)

// TestEvaluateMCPParity: an MCP message the Envoy door refuses while
// parsing its body (a __proto__ key, a name or URI over mcp.MaxNameBytes,
// a resource URI with a dot segment, argument names equal but for case or
// holding a control character) is refused as a query too: the
// enforcement point asserting its parts must not get an allow the body
// would not.
func TestEvaluateMCPParity(t *testing.T) {
	e := mcpQueryEngine(t)
	long := strings.Repeat("a", 9000)
	read := func(uri string) string {
		return `{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"` + uri + `"}}`
	}
	args := func(a map[string]any) map[string]any {
		return map[string]any{"server": "github", "method": "tools/call", "tool": "create_issue", "arguments": a}
	}
	tests := []struct {
		name string
		r    *Request
		q    *Query
	}{
		{"__proto__ argument", mcpReq("/mcp", call(1, "create_issue", `{"repo":"acme/web","__proto__":{"repo":"evil/web"}}`)),
			toolQuery("github.create_issue", "github/create_issue", args(map[string]any{"repo": "acme/web", "__proto__": map[string]any{"repo": "evil/web"}}))},
		{"nested __proto__", mcpReq("/mcp", call(1, "create_issue", `{"repo":"acme/web","o":[{"__proto__":{}}]}`)),
			toolQuery("github.create_issue", "github/create_issue", args(map[string]any{"repo": "acme/web", "o": []any{map[string]any{"__proto__": map[string]any{}}}}))},
		{"case-variant argument names", mcpReq("/mcp", call(1, "create_issue", `{"repo":"acme/web","REPO":"evil/web"}`)),
			toolQuery("github.create_issue", "github/create_issue", args(map[string]any{"repo": "acme/web", "REPO": "evil/web"}))},
		{"control character in an argument name", mcpReq("/mcp", call(1, "create_issue", `{"repo":"acme/web","repo\u0000":"evil/web"}`)),
			toolQuery("github.create_issue", "github/create_issue", args(map[string]any{"repo": "acme/web", "repo\x00": "evil/web"}))},
		{"long resource URI", mcpReq("/mcp", read("file:///public/"+long)),
			query(agent, "ReadResource", "McpResource", "file:///public/"+long)},
		{"dot segment behind an escaped slash", mcpReq("/mcp", read("file:///public/..%2fetc/passwd")),
			query(agent, "ReadResource", "McpResource", "file:///public/..%2fetc/passwd")},
		{"dot segment in context.mcp.uri", mcpReq("/mcp", read("file:///public/..%2fetc/passwd")),
			with(query(agent, "ReadResource", "McpResource", "file:///public/x"), func(q *Query) {
				q.Context = map[string]any{"mcp": map[string]any{"uri": "file:///public/..%2fetc/passwd"}}
			})},
		{"long tool name", mcpReq("/docs/mcp", call(1, long, `{}`)),
			toolQuery("CallTool", "docs/"+long, map[string]any{"server": "docs", "tool": long})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := e.Check(context.Background(), tt.r); d.Allowed() {
				t.Fatalf("Envoy door allowed: %s", d.Detail)
			}
			if d := e.Evaluate(context.Background(), tt.q); d.Code != CodeBadQuery {
				t.Fatalf("AuthZEN door: %s %q, want bad_query", d.Code, d.Detail)
			}
		})
	}
}
