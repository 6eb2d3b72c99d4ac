package manifest

import (
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
