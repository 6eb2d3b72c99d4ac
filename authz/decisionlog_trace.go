package authz

import (
	"log/slog"
	"net/netip"

	"github.com/tollgate-authz/tollgate/internal/traceparent"
)

// appendTrace appends the W3C trace context of the decision, for the
// decision log: the deciding MCP message's params._meta.traceparent, else
// the request's traceparent header. A value that is not a strict version
// 00 traceparent is left out; nothing is guessed.
func appendTrace(out []slog.Attr, r *Request, st *checkState) []slog.Attr {
	c, ok := traceparent.Parse(st.mcp.traceparent)
	if !ok && r != nil {
		c, ok = traceparent.Parse(r.Headers["traceparent"])
	}
	if !ok {
		return out
	}
	return append(out, slog.String("trace_id", c.TraceID), slog.String("parent_id", c.ParentID))
}

// appendSource appends the client address when it is an IP address
// without a zone (a zone is free text).
func appendSource(out []slog.Attr, r *Request) []slog.Attr {
	if r == nil || r.SourceAddress == "" {
		return out
	}
	if a, err := netip.ParseAddr(r.SourceAddress); err != nil || a.Zone() != "" {
		return out
	}
	return append(out, slog.String("source_address", r.SourceAddress))
}
