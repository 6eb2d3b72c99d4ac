package authz

import "log/slog"

// maxLoggedTool bounds a logged tool or method name: both come from the
// client. They go to the decision log, never to a metric label.
const maxLoggedTool = 128

// mcpLog is what the decision log records about an MCP request.
type mcpLog struct {
	method, tool string
	messages     int
	index        int    // denied or rejected batch element
	detail       string // parser detail (offsets, key paths; never values)
	traceparent  string // params._meta.traceparent of the deciding message
}

// attrs returns the "mcp" group, or nothing for a non-MCP request.
func (l *mcpLog) attrs() []slog.Attr {
	if l.messages == 0 && l.method == "" && l.detail == "" {
		return nil
	}
	// slog.Group would box each attribute into an any: GroupValue takes
	// them as they are, for the same line.
	return []slog.Attr{{Key: "mcp", Value: slog.GroupValue(
		slog.String("method", clip(l.method)),
		slog.String("tool", clip(l.tool)),
		slog.Int("messages", l.messages),
		slog.Int("element", l.index),
		slog.String("detail", l.detail),
	)}}
}

func clip(s string) string {
	if len(s) > maxLoggedTool {
		return s[:maxLoggedTool]
	}
	return s
}
