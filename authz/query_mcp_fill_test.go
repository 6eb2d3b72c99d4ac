package authz

import (
	"context"
	"os"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// TestEvaluateMCPFillsToolCall: the Envoy door's context.mcp of a tool call
// always has server, method, tool and arguments (mcpContext). A query that
// leaves them out gets them filled from its action and resource, so a
// forbid guarded with `has` applies as it does at the door. Before, a
// query without context.mcp was allowed past such a forbid.
func TestEvaluateMCPFillsToolCall(t *testing.T) {
	m, err := manifest.Load("testdata/mcp.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile("testdata/mcp.cedar")
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, loadPolicies(t, string(text)+`
@id("no-issue-search")
forbid (principal, action, resource)
when { context has mcp && context.mcp has tool && context.mcp.tool == "search_issues" &&
       context.mcp has method && context.mcp.method == "tools/call" && context.mcp has arguments };
@id("docs-server-closed")
forbid (principal, action, resource) when { context has mcp && context.mcp has server && context.mcp.server == "docs" };
`))
	cfg.Manifest = m
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    *Query
	}{
		{"per_tool, no context.mcp", toolQuery("github.search_issues", "github/search_issues", nil)},
		{"per_tool, arguments only", toolQuery("github.search_issues", "github/search_issues", map[string]any{"arguments": map[string]any{}})},
		{"per_tool, server only", toolQuery("github.search_issues", "github/search_issues", map[string]any{"server": "github"})},
		{"tool_resource, tool only", toolQuery("CallTool", "docs/search", map[string]any{"tool": "search"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := e.Evaluate(context.Background(), tt.q)
			if d.Allowed() || d.Code != CodeForbid {
				t.Fatalf("got %v %s %q, want the forbid the Envoy door applies", d.Outcome, d.Code, d.Detail)
			}
		})
	}
}
