package authz

import (
	"log/slog"
	"testing"
)

// TestMCPLogAttrsAsGroup: the "mcp" group built without boxing is the
// group slog.Group builds.
func TestMCPLogAttrsAsGroup(t *testing.T) {
	l := mcpLog{method: "tools/call", tool: "t", messages: 2, index: 1, detail: "d"}
	want := slog.Group("mcp", slog.String("method", "tools/call"), slog.String("tool", "t"),
		slog.Int("messages", 2), slog.Int("element", 1), slog.String("detail", "d"))
	got := l.attrs()
	if len(got) != 1 || !got[0].Equal(want) {
		t.Errorf("attrs() = %v, want %v", got, want)
	}
	if (&mcpLog{}).attrs() != nil {
		t.Error("a non-MCP request has an mcp group")
	}
}
