package authz

import (
	"context"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// TestMCPArgumentNamesFold: against a tool server that binds arguments
// case-insensitively, argument_names: fold makes {"Repo": "prod-db"} the
// context.mcp.arguments.repo that a forbid tests.
func TestMCPArgumentNamesFold(t *testing.T) {
	const policies = `@id("deploys") permit (principal, action == Action::"github.deploy", resource);
@id("never-prod") forbid (principal, action, resource)
when { context.mcp has arguments && context.mcp.arguments has repo && context.mcp.arguments.repo == "prod-db" };`
	body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"deploy","arguments":{"Repo":"prod-db"}}}`
	for _, tt := range []struct {
		names string
		want  Outcome
	}{
		// exact: policy sees "Repo" as sent, right for servers that read
		// keys exactly (go-sdk, Python, TypeScript), where it is not repo.
		{"exact", Allow},
		{"fold", Forbidden},
	} {
		m, err := manifest.Parse("fold.yaml", []byte(strings.Replace(protocolManifest, "      mode: per_tool\n",
			"      mode: per_tool\n      argument_names: "+tt.names+"\n", 1)))
		if err != nil {
			t.Fatal(err)
		}
		cfg := testConfig(t, loadPolicies(t, policies))
		cfg.Manifest = m
		e, err := NewEngine(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if d := e.Check(context.Background(), mcpReq("/mcp", body)); d.Outcome != tt.want {
			t.Errorf("argument_names %s: %v/%s, want %v", tt.names, d.Outcome, d.Code, tt.want)
		}
	}
	if _, err := manifest.Parse("fold.yaml", []byte(strings.Replace(protocolManifest, "      mode: per_tool\n",
		"      mode: per_tool\n      argument_names: lower\n", 1))); err == nil || !strings.Contains(err.Error(), "argument_names") {
		t.Errorf("argument_names: lower gave %v", err)
	}
}
