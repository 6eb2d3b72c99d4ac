package envoy

import (
	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// mcpErrorBody answers a denied MCP call with a JSON-RPC error object that
// carries the request's id, so the agent sees which call was refused.
func mcpErrorBody(d *authz.Decision) []byte {
	return mcp.ErrorResponse([]byte(d.MCP.ID), mcp.CodePermissionDenied, "tollgate: "+d.Reason, d.ID)
}
