package authz

import (
	"context"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// TestEvaluateToolDrift: once a listing showed a pinned tool's definition
// changed, the Envoy door refuses its calls (mcp_tool_drift) whatever the
// policies say; an evaluation of the same call is refused the same way.
// Before, the evaluation was allowed by the permit.
func TestEvaluateToolDrift(t *testing.T) {
	e, _ := pinnedEngine(t, nil, pinFor("search_issues"))
	ask := func() Decision {
		return e.Evaluate(context.Background(), toolQuery("github.search_issues", "github/search_issues", nil))
	}
	if d := ask(); !d.Allowed() {
		t.Fatalf("before drift: %v %s %q", d.Outcome, d.Code, d.Detail)
	}
	tools := listed("search_issues", "create_issue")
	tools[0] = mcp.ToolWithPin("search_issues", pinFor("search_issues_v2")) // the server changed the definition
	e.FilterTools(context.Background(), req(agent, "POST", "/mcp"), [][]mcp.Tool{tools})
	if d := ask(); d.Allowed() || d.Code != CodeMCPToolDrift {
		t.Fatalf("a drifted tool's evaluation: %v %s %q", d.Outcome, d.Code, d.Detail)
	}
	if d := e.Evaluate(context.Background(), toolQuery("github.create_issue", "github/create_issue",
		map[string]any{"arguments": map[string]any{"repo": "acme/web"}})); !d.Allowed() {
		t.Fatalf("a pinned tool that did not drift: %v %s %q", d.Outcome, d.Code, d.Detail)
	}
	e.SetManifest(pinnedManifestWith(t, pinFor("search_issues_v2")))
	if d := ask(); !d.Allowed() {
		t.Fatalf("after the pin update: %v %s %q", d.Outcome, d.Code, d.Detail)
	}
}
