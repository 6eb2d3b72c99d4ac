package authz

import (
	"log/slog"
	"net/netip"

	"github.com/tollgate-authz/tollgate/internal/traceparent"
)

// traceAttrs returns the W3C trace context of the decision, for the
// decision log: the deciding MCP message's params._meta.traceparent, else
// the request's traceparent header. A value that is not a strict version
// 00 traceparent is left out; nothing is guessed.
func traceAttrs(r *Request, st *checkState) []slog.Attr {
	c, ok := traceparent.Parse(st.mcp.traceparent)
	if !ok && r != nil {
		c, ok = traceparent.Parse(r.Headers["traceparent"])
	}
	if !ok {
		return nil
	}
	return []slog.Attr{slog.String("trace_id", c.TraceID), slog.String("parent_id", c.ParentID)}
}

// sourceAttr returns the client address when it is an IP address.
func sourceAttr(r *Request) []slog.Attr {
	if r == nil || r.SourceAddress == "" {
		return nil
	}
	a, err := netip.ParseAddr(r.SourceAddress)
	if err != nil {
		return nil
	}
	return []slog.Attr{slog.String("source_address", a.String())}
}
