package authz

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

func mcpQueryEngine(t *testing.T) *Engine {
	t.Helper()
	m, err := manifest.Load("testdata/mcp.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile("testdata/mcp.cedar")
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, loadPolicies(t, string(text)))
	cfg.Manifest = m
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func toolQuery(action, resource string, mcp map[string]any) *Query {
	q := query(agent, action, "Tool", resource)
	if mcp != nil {
		q.Context = map[string]any{"mcp": mcp}
	}
	return q
}

// TestEvaluateMCP: an enforcement point in front of an MCP server asks
// about a tool call the way the MCP route maps one (action, Tool resource,
// context.mcp); the parts must name the same tool, as one body does for
// the Envoy door.
func TestEvaluateMCP(t *testing.T) {
	call := func(tool string, args map[string]any) map[string]any {
		return map[string]any{"server": "github", "method": "tools/call", "tool": tool, "arguments": args}
	}
	tests := []struct {
		name   string
		q      *Query
		code   string
		reason string
	}{
		{"per_tool call permitted", toolQuery("github.create_issue", "github/create_issue", call("create_issue", map[string]any{"repo": "acme/web", "n": json.Number("3")})), "permit", ""},
		{"per_tool call, arguments not permitted", toolQuery("github.create_issue", "github/create_issue", call("create_issue", map[string]any{"repo": "evil/web"})), "no_permit", ""},
		{"unlisted tool by prefix", toolQuery("github.other_tool", "github/other_tool", call("other_tool", nil)), "no_permit", ""},
		{"resource names another tool", toolQuery("github.create_issue", "github/delete_repo", call("create_issue", nil)), CodeBadQuery.String(), "is not the tool"},
		{"context names another tool", toolQuery("github.create_issue", "github/create_issue", call("delete_repo", nil)), CodeBadQuery.String(), "context.mcp.tool disagrees"},
		{"context names another server", toolQuery("github.create_issue", "github/create_issue",
			map[string]any{"server": "docs", "tool": "create_issue"}), CodeBadQuery.String(), "context.mcp.server disagrees"},
		{"context names another method", toolQuery("github.create_issue", "github/create_issue",
			map[string]any{"method": "prompts/get"}), CodeBadQuery.String(), "context.mcp.method disagrees"},
		{"tool_resource call", toolQuery("CallTool", "docs/search", map[string]any{"server": "docs", "tool": "search"}), "permit", ""},
		{"tool_resource call on another server's tool", toolQuery("CallTool", "github/search", nil), CodeBadQuery.String(), "is not the tool"},
		{"unknown mcp attribute", toolQuery("CallTool", "docs/search", map[string]any{"server": "docs", "foo": "x"}), CodeBadQuery.String(), "context.mcp.foo: not an attribute"},
		{"null argument", toolQuery("github.create_issue", "github/create_issue", call("create_issue", map[string]any{"repo": nil})), CodeBadQuery.String(), "context.mcp.arguments.repo: null"},
		{"fraction argument", toolQuery("github.create_issue", "github/create_issue", call("create_issue", map[string]any{"n": json.Number("0.5")})), CodeBadQuery.String(), "not an integer"},
		// context.mcp.listing marks Tollgate's own ext_proc evaluation of a
		// listed tool (no arguments): an enforcement point asserting it could
		// match a listing-only permit for a real call.
		{"listing asserted", toolQuery("github.create_issue", "github/create_issue",
			map[string]any{"server": "github", "method": "tools/call", "tool": "create_issue", "listing": true}), CodeBadQuery.String(), "context.mcp.listing"},
		{"bad element in a list", toolQuery("github.create_issue", "github/create_issue", call("create_issue", map[string]any{"l": []any{"a", nil}})), CodeBadQuery.String(), "arguments.l[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mcpQueryEngine(t).Evaluate(context.Background(), tt.q)
			if d.Code.String() != tt.code || !strings.Contains(d.Detail, tt.reason) {
				t.Fatalf("got %s %q, want %s ~%q", d.Code, d.Detail, tt.code, tt.reason)
			}
		})
	}
}
