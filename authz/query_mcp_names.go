package authz

import (
	"fmt"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// mcpStrings are the names context.mcp may carry.
var mcpStrings = [...]types.String{"server", "method", "tool", "uri", "prompt"}

// checkMCPNames holds a query's MCP names to what the Envoy door's body
// parser accepts: a tool or prompt name or resource URI of at most
// mcp.MaxNameBytes, and a URI that mcp.UnsafeURI does not refuse. For an
// MCP route's action the action and resource ids are bounded the same way
// (they hold the name), and the resource of a method other than a tool
// call (a resources/read's "{uri}") is held to UnsafeURI: a query cannot
// know which template made it, so it refuses what a URI could not be.
func (qs *queryShape) checkMCPNames(action, res types.EntityUID, ctx types.RecordMap) error {
	rec, _ := ctx["mcp"].(types.Record)
	for _, k := range mcpStrings {
		v, _ := rec.Get(k)
		s, _ := v.(types.String)
		if len(s) > mcp.MaxNameBytes {
			return fmt.Errorf("context.mcp.%s is longer than %d bytes", k, mcp.MaxNameBytes)
		}
		if k == "uri" && mcp.UnsafeURI(string(s)) {
			return fmt.Errorf("context.mcp.uri has a dot segment, a backslash, an escaped NUL or a control character")
		}
	}
	call := qs.isToolCall(action, res)
	if !call && !qs.mcpActions[action] {
		return nil
	}
	if len(action.ID) > mcp.MaxNameBytes || len(res.ID) > mcp.MaxNameBytes {
		return fmt.Errorf("an MCP action or resource id is longer than %d bytes", mcp.MaxNameBytes)
	}
	if !call && mcp.UnsafeURI(string(res.ID)) {
		return fmt.Errorf("resource.id of an MCP method has a dot segment, a backslash, an escaped NUL or a control character")
	}
	return nil
}

// isToolCall reports an action some MCP route produces for a tools/call.
func (qs *queryShape) isToolCall(action, res types.EntityUID) bool {
	for _, t := range qs.tools {
		if _, isCall, _ := t.tool(action, res); isCall {
			return true
		}
	}
	return false
}
