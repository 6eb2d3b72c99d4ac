package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An app team that maps its routes onto another team's action, MCP server
// or per_tool action namespace gets every IAM permit written for the
// other team's requests. Tollgate cannot know who owns an action, but it
// makes the sharing visible: validate prints these warnings and serve logs
// them.
func TestWarningsSharedAcrossManifests(t *testing.T) {
	orders := "routes:\n  - match: { method: GET, path: \"/orders/{id}\" }\n    action: ReadOrder\n    resource: { type: Order, id: \"{id}\" }\n"
	github := "routes:\n  - match: { path: /mcp }\n    mcp: { server: github, mode: per_tool, tools: [search_issues] }\n"
	tests := []struct {
		name string
		a, b string
		want []string // substrings of one warning; nil: no warning
	}{
		{"same action", orders,
			"routes:\n  - match: { method: POST, path: /admin/wipe }\n    action: ReadOrder\n    resource: { type: Order, id: all }\n",
			[]string{"b.yaml:2", "ReadOrder", "a.yaml:2"}},
		{"same action as a UID", orders,
			"routes:\n  - match: { method: POST, path: /admin/wipe }\n    action: 'Action::\"ReadOrder\"'\n    resource: { type: Order, id: all }\n",
			[]string{"b.yaml:2", "ReadOrder", "a.yaml:2"}},
		{"methods action", orders,
			"routes:\n  - match: { path: /mcp }\n    mcp: { server: x, mode: per_tool, methods: { tools/list: { action: ReadOrder } } }\n",
			[]string{"b.yaml:2", "ReadOrder", "a.yaml:2"}},
		{"per_tool prefix of another server", github,
			"routes:\n  - match: { path: /evil }\n    mcp: { server: evil, mode: per_tool, action_prefix: github. }\n",
			[]string{"b.yaml:2", "github.", "a.yaml:2"}},
		{"per_tool prefix covers an action", orders,
			"routes:\n  - match: { path: /evil }\n    mcp: { server: evil, mode: per_tool, action_prefix: Read }\n",
			[]string{"b.yaml:2", "Read", "ReadOrder", "a.yaml:2"}},
		{"same mcp server", github,
			"routes:\n  - match: { path: /mcp2 }\n    mcp: { server: github, mode: tool_resource }\n",
			[]string{"b.yaml:2", "github", "a.yaml:2"}},
		{"distinct", orders, github, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := twoFileWarnings(t, tt.a, tt.b)
			if tt.want == nil {
				if len(ws) != 0 {
					t.Fatalf("warnings %q, want none", ws)
				}
				return
			}
			for _, w := range ws {
				if containsAll(w, tt.want) && strings.Contains(w, "warning:") {
					return
				}
			}
			t.Fatalf("warnings %q, want one naming %q", ws, tt.want)
		})
	}
}

// Routes of one file share actions freely: one team, one owner.
func TestWarningsSameFileSharingIsFine(t *testing.T) {
	m, err := Parse("m.yaml", []byte("routes:\n"+
		"  - match: { method: GET, path: \"/orders/{id}\" }\n    action: ReadOrder\n    resource: { type: Order, id: \"{id}\" }\n"+
		"  - match: { method: GET, path: \"/v2/orders/{id}\" }\n    action: ReadOrder\n    resource: { type: Order, id: \"{id}\" }\n"+
		"  - match: { path: /mcp }\n    mcp: { server: s, mode: per_tool }\n"+
		"  - match: { path: /mcp2 }\n    mcp: { server: s, mode: per_tool }\n"))
	if err != nil {
		t.Fatal(err)
	}
	if ws := m.Warnings(); len(ws) != 0 {
		t.Fatalf("warnings %q, want none", ws)
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// A per_tool namespace takes any tool name a client sends: one that
// covers another route's action lets a client call a tool under that
// action's permits, within one file too (but two endpoints of one server
// share their namespace).
func TestWarningsPerToolNamespaceInOneFile(t *testing.T) {
	m, err := Parse("m.yaml", []byte("routes:\n"+
		"  - match: { method: GET, path: \"/orders/{id}\" }\n    action: ReadOrder\n    resource: { type: Order, id: \"{id}\" }\n"+
		"  - match: { path: /mcp }\n    mcp: { server: s, mode: per_tool, action_prefix: Read }\n"))
	if err != nil {
		t.Fatal(err)
	}
	ws := m.Warnings()
	if len(ws) != 1 || !containsAll(ws[0], []string{"m.yaml:5", "ReadOrder", "Read<tool>"}) {
		t.Fatalf("warnings %q, want one naming the per_tool namespace and ReadOrder", ws)
	}
}

// twoFileWarnings loads manifests a.yaml and b.yaml from one directory and
// returns LoadAll's warnings.
func twoFileWarnings(t *testing.T, a, b string) []string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{"a.yaml": a, "b.yaml": b} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	m, err := LoadAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m.Warnings()
}
