package envoy

import (
	"encoding/json"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// mcpErrorBody answers a denied MCP call with a JSON-RPC error that
// carries the request's id, so the agent sees which call was refused. A
// denied batch is answered with one error per request id of the batch:
// the whole batch was refused, and the message names the element that
// caused it.
func mcpErrorBody(d *authz.Decision) []byte {
	code := d.MCP.RPCCode
	if code == 0 {
		code = mcp.CodePermissionDenied
	}
	msg := "tollgate: " + d.Detail
	if d.MCP.Batch {
		ids := make([]json.RawMessage, len(d.MCP.IDs))
		for i, id := range d.MCP.IDs {
			ids[i] = json.RawMessage(id)
		}
		return mcp.BatchErrorResponse(ids, code, msg, d.ID)
	}
	return mcp.ErrorResponse([]byte(d.MCP.ID), code, msg, d.ID)
}
