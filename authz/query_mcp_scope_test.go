package authz

import (
	"context"
	"testing"
)

// TestEvaluateMCPContextOnlyForMCPActions: the Envoy door sets
// context.mcp only on a request an MCP route maps. Before, a query could
// add one to ReadOrder and be decided with it, so any policy reading
// context.mcp without naming its actions saw a tool call that never was.
func TestEvaluateMCPContextOnlyForMCPActions(t *testing.T) {
	e := mcpQueryEngine(t)
	mcp := map[string]any{"server": "docs", "method": "tools/call", "tool": "search"}
	tests := []struct {
		name string
		q    *Query
		code Code
	}{
		{"route action with context.mcp", with(query(billing, "ReadOrder", "Order", "42"), func(q *Query) { q.Context = map[string]any{"mcp": mcp} }), CodeBadQuery},
		{"route action without", query(billing, "ReadOrder", "Order", "42"), CodeNoPermit},
		{"tool call with context.mcp", toolQuery("CallTool", "docs/search", mcp), CodePermit},
		{"MCP method with context.mcp", with(query(agent, "ListTools", "McpServer", "github"), func(q *Query) {
			q.Context = map[string]any{"mcp": map[string]any{"server": "github", "method": "tools/list"}}
		}), CodePermit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := e.Evaluate(context.Background(), tt.q); d.Code != tt.code {
				t.Fatalf("got %v %s %q, want %s", d.Outcome, d.Code, d.Detail, tt.code)
			}
		})
	}
}
