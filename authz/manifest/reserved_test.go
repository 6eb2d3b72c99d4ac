package manifest

import (
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// Action::"mcp:<method>" is Tollgate's own namespace: IAM's protocol
// baseline permits it broadly (every caller may ping). A manifest that
// could name such an action would get that baseline for a route, tool or
// method of its choosing, a grant IAM never wrote.
func TestManifestRefusesReservedMCPActions(t *testing.T) {
	mcpBase := "routes:\n  - match: { method: POST, path: /mcp }\n"
	tests := map[string]string{
		"http route":          "routes:\n  - match: { method: POST, path: /wipe }\n    action: \"mcp:ping\"\n    resource: { type: McpServer, id: github }\n",
		"http route uid":      "routes:\n  - match: { method: POST, path: /wipe }\n    action: 'Action::\"mcp:initialize\"'\n    resource: { type: McpServer, id: github }\n",
		"grpc route":          "routes:\n  - match: { grpc: /a.B/C }\n    action: \"mcp:ping\"\n    resource: { type: McpServer, id: github }\n",
		"tool_resource":       mcpBase + "    mcp: { server: s, mode: tool_resource, action: \"mcp:ping\" }\n",
		"methods":             mcpBase + "    mcp: { server: s, mode: per_tool, methods: { resources/read: { action: \"mcp:ping\" } } }\n",
		"methods pattern":     mcpBase + "    mcp: { server: s, mode: per_tool, methods: { \"x/*\": { action: \"mcp:response\" } } }\n",
		"prefix mcp:":         mcpBase + "    mcp: { server: s, mode: per_tool, action_prefix: \"mcp:\" }\n",
		"prefix empty":        mcpBase + "    mcp: { server: s, mode: per_tool, action_prefix: \"\" }\n",
		"prefix reaches mcp:": mcpBase + "    mcp: { server: s, mode: per_tool, action_prefix: \"mc\" }\n",
		"server mcp:":         mcpBase + "    mcp: { server: \"mcp:\", mode: per_tool }\n",
	}
	for name, y := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("m.yaml", []byte(y))
			if err == nil || !strings.Contains(err.Error(), "m.yaml:") || !strings.Contains(err.Error(), "reserved") {
				t.Fatalf("err = %v, want a file:line error about the reserved mcp: namespace", err)
			}
		})
	}
}

// A tools/call on a per_tool route never lands in the reserved namespace,
// whatever the tool name.
func TestPerToolActionNeverReserved(t *testing.T) {
	m, err := Parse("m.yaml", []byte("routes:\n  - match: { method: POST, path: /mcp }\n    mcp: { server: s, mode: per_tool, action_prefix: \"m\" }\n"))
	if err != nil {
		if !strings.Contains(err.Error(), "reserved") {
			t.Fatal(err)
		}
		return // refused when loaded
	}
	tg := m.Rules()[0].MCPRule().Target(&mcp.Message{Method: "tools/call", Tool: "cp:ping"}, nil)
	if tg.Verdict == VerdictPolicy && strings.HasPrefix(string(tg.Action.ID), MCPProtocolPrefix) {
		t.Fatalf("tool cp:ping is %v", tg.Action)
	}
}
