package manifest

import (
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// A method's resource template that names a value the method does not
// carry ({uri} on prompts/get) would map every such call to one empty id,
// so a forbid on a particular prompt never fires. It is denied.
func TestMCPTargetEmptyTemplateValueDenied(t *testing.T) {
	y := "routes:\n  - match: { method: POST, path: /mcp }\n    mcp: { server: s, mode: per_tool, methods: {" +
		" prompts/get: { action: GetPrompt, resource: { type: Prompt, id: \"{uri}\" } }," +
		" \"resources/*\": { action: Res, resource: { type: R, id: \"r-{uri}\" } } } }\n"
	m, err := Parse("m.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	mr := m.Rules()[0].MCPRule()
	for _, msg := range []mcp.Message{
		{Method: "prompts/get", Prompt: "secret"},
		{Method: "resources/list"},
	} {
		if tg := mr.Target(&msg, nil); tg.Verdict != VerdictDeny {
			t.Errorf("%s: %+v, want denied (the template's value is empty)", msg.Method, tg)
		}
	}
	if tg := mr.Target(&mcp.Message{Method: "resources/read", URI: "file:///a"}, nil); tg.Verdict != VerdictPolicy ||
		tg.Resource.ID != "r-file:///a" {
		t.Errorf("resources/read: %+v, want R::\"r-file:///a\" decided by policy", tg)
	}
}

// On an MCP route, {uri}, {prompt}, {method} and {server} name the
// message's values. A path capture of the same name took their place:
// POST /mcp/public reading file:///secret was McpResource::"public".
func TestMCPPathCaptureCannotShadowMessageValues(t *testing.T) {
	for _, name := range mcpCaptureNames() {
		y := "routes:\n  - match: { path: \"/mcp/{" + name + "}\" }\n    mcp: { server: s, mode: per_tool, methods: {" +
			" resources/read: { action: Read, resource: { type: McpResource, id: \"{" + name + "}\" } } } }\n"
		m, err := Parse("m.yaml", []byte(y))
		if err != nil {
			if !strings.Contains(err.Error(), "m.yaml:2") || !strings.Contains(err.Error(), "{"+name+"}") {
				t.Errorf("%s: %v, want an error naming the capture", name, err)
			}
			continue
		}
		tg := m.Rules()[0].MCPRule().Target(&mcp.Message{Method: "resources/read", URI: "file:///secret"}, []string{"public"})
		if tg.Resource.ID == "public" {
			t.Errorf("{%s}: the path segment became the resource %v", name, tg.Resource)
		}
	}
}
