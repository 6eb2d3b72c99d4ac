package authz

import (
	"context"
	"testing"
)

// TestEvaluateActionResourcePair: an evaluation names an action with a
// resource type some route produces it with, as the Envoy door's request
// always does. Before, ReadOrder on Acme::Asset or GrpcMethod (a
// pair no route maps) was decided, and allowed by a permit written for
// ReadOrder on orders, past any forbid written against the door's pairs.
func TestEvaluateActionResourcePair(t *testing.T) {
	tests := []struct {
		name string
		q    *Query
		code Code
		mcp  bool
	}{
		{"route's pair", query(frontend, "ReadOrder", "Order", "42"), CodePermit, false},
		{"other route's pair", query(frontend, "ListOrders", "Service", "orders"), CodePermit, false},
		{"grpc pair", query(frontend, `Orders::Action::"call"`, "GrpcMethod", "acme.orders.v1.Orders/GetOrder"), CodePermit, false},
		{"ReadOrder on a Service (the gRPC route)", query(frontend, "ReadOrder", "Service", "orders"), CodePermit, false},
		{"ReadOrder on an Asset", query(frontend, "ReadOrder", "Acme::Asset", "static/x"), CodeBadQuery, false},
		{"ListOrders on an Order", query(frontend, "ListOrders", "Order", "13"), CodeBadQuery, false},
		{"ReadOrder on a GrpcMethod", query(frontend, "ReadOrder", "GrpcMethod", "x"), CodeBadQuery, false},
		{"MCP method rule's pair", query(agent, "ListTools", "McpServer", "github"), CodePermit, true},
		{"MCP method on a Tool", query(agent, "ListTools", "Tool", "github/search_issues"), CodeBadQuery, true},
		{"MCP protocol action", query(agent, "mcp:ping", "McpServer", "github"), CodePermit, true},
		{"route action on an MCP server", query(agent, "ReadOrder", "McpServer", "github"), CodeBadQuery, true},
		{"tool_resource call", toolQuery("CallTool", "docs/search", map[string]any{"server": "docs", "tool": "search"}), CodePermit, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, ordersPolicies(t))
			if tt.mcp {
				e = mcpQueryEngine(t)
			}
			d := e.Evaluate(context.Background(), tt.q)
			if d.Code != tt.code {
				t.Fatalf("got %v %s %q, want %s", d.Outcome, d.Code, d.Detail, tt.code)
			}
		})
	}
}
