package authz

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

const foldManifest = `service: agents
routes:
  - name: github-mcp
    match: { method: POST, path: /mcp }
    mcp:
      server: github
      mode: per_tool
      tools: [create_issue]
      argument_names: fold
`

// TestEvaluateMCPFoldsArgumentNames: on a route with argument_names: fold
// the Envoy door gives policy the folded argument keys (the server binds
// {"Repo": ...} as repo) and refuses keys equal under folding; an
// evaluation of the same call does the same. Before, {"Repo":
// "secret/x"} slipped past a forbid on context.mcp.arguments.repo.
func TestEvaluateMCPFoldsArgumentNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.yaml")
	if err := os.WriteFile(path, []byte(foldManifest), 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, loadPolicies(t, `
@id("agent-creates") permit (principal == Workload::"`+agent+`", action == Action::"github.create_issue", resource);
@id("no-secret-repos") forbid (principal, action, resource)
when { context.mcp.arguments has repo && context.mcp.arguments.repo like "secret/*" };`))
	cfg.Manifest = m
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d := e.Check(context.Background(), mcpReq("/mcp", call(1, "create_issue", `{"Repo":"secret/x"}`))); d.Code != CodeForbid {
		t.Fatalf("the door: %v %s %q", d.Outcome, d.Code, d.Detail)
	}
	args := func(a map[string]any) *Query {
		return toolQuery("github.create_issue", "github/create_issue", map[string]any{"arguments": a})
	}
	tests := []struct {
		name string
		q    *Query
		code Code
	}{
		{"folded key", args(map[string]any{"repo": "secret/x"}), CodeForbid},
		{"upper-case key", args(map[string]any{"Repo": "secret/x"}), CodeForbid},
		{"nested", args(map[string]any{"Opts": map[string]any{"Repo": "secret/x"}, "REPO": "secret/y"}), CodeForbid},
		{"keys equal under folding", args(map[string]any{"repo": "acme/x", "Repo": "secret/x"}), CodeBadQuery},
		{"other repo", args(map[string]any{"Repo": "acme/x"}), CodePermit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := e.Evaluate(context.Background(), tt.q); d.Code != tt.code {
				t.Fatalf("got %v %s %q, want %s", d.Outcome, d.Code, d.Detail, tt.code)
			}
		})
	}
}
