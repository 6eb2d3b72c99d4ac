package policy

import (
	"slices"
	"testing"
)

func TestContextReads(t *testing.T) {
	snap := mustLoad(t, map[string]string{"p.cedar": `
@id("a") permit(principal, action, resource) when { context.risk < 5 && context.mcp.tool == "x" };
@id("b") permit(principal, action, resource) when { context has session && principal.namespace == "n" };
@id("c") forbid(principal, action, resource) when { context == {} };
@id("d") permit(principal, action, resource);
`})
	for id, want := range map[string][]string{
		"a": {"mcp.tool", "risk"}, "b": {"session"}, "c": {""}, "d": nil,
	} {
		got, ok := snap.ContextReads(id)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("%s: %q, %v; want %q", id, got, ok, want)
		}
	}
	if _, ok := snap.ContextReads("nope"); ok {
		t.Error("unknown policy ok")
	}
	for _, tc := range []struct {
		path, key string
		want      bool
	}{{"session", "session", true}, {"mcp.arguments.repo", "mcp.arguments", true}, {"mcp", "mcp.arguments", true},
		{"mcp.tool", "mcp.arguments", false}, {"", "jwt", true}, {"jwtx", "jwt", false}} {
		if got := ReadsKey(tc.path, tc.key); got != tc.want {
			t.Errorf("ReadsKey(%q, %q) = %v", tc.path, tc.key, got)
		}
	}
}
