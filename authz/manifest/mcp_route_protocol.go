package manifest

import "github.com/cedar-policy/cedar-go/types"

// MCPProtocolPrefix starts the action of every MCP protocol method that a
// route's methods do not map: initialize is Action::"mcp:initialize" on
// McpServer::"<server>", a client's JSON-RPC response Action::"mcp:response".
// IAM's policy permits them like any other action; the manifest may map a
// method to another action or deny it, never allow it.
const MCPProtocolPrefix = "mcp:"

// MCPResponseAction is the action of a JSON-RPC response posted by a
// client (to a server's sampling, elicitation or roots request).
const MCPResponseAction = MCPProtocolPrefix + "response"

// Actions of the endpoint's other HTTP methods (Streamable HTTP): the GET
// that opens the server's SSE stream, and the DELETE that closes the
// session. Both are on McpServer::"<server>".
const (
	MCPStreamAction = MCPProtocolPrefix + "stream"
	MCPCloseAction  = MCPProtocolPrefix + "close"
)

// mcpProtocolMethods are the methods the MCP specification (2025-11-25,
// 2026-07-28 and earlier) lets a client send, besides tools/call, which is authorized per
// tool. Other methods are denied unless the route's methods map them.
var mcpProtocolMethods = []string{
	"initialize", "ping", "server/discover", "subscriptions/listen",
	"tools/list",
	"resources/list", "resources/templates/list", "resources/read",
	"resources/subscribe", "resources/unsubscribe",
	"prompts/list", "prompts/get",
	"completion/complete", "logging/setLevel",
	"tasks/get", "tasks/list", "tasks/result", "tasks/cancel",
	"notifications/initialized", "notifications/cancelled", "notifications/progress",
	"notifications/roots/list_changed", "notifications/tasks/status",
}

// protocolRules sets the default rules of a route: each protocol method,
// and responses unless denied, is Action::"mcp:<name>" on
// McpServer::"<server>".
func (r *MCPRule) protocolRules() {
	rule := func(action string) *MCPMethod {
		return &MCPMethod{
			verdict: VerdictPolicy, name: action,
			action:  types.NewEntityUID("Action", types.String(action)),
			resType: MCPServerType,
			idParts: []idPart{{lit: r.Server, capture: -1}},
		}
	}
	r.protocol = make(map[string]*MCPMethod, len(mcpProtocolMethods))
	for _, m := range mcpProtocolMethods {
		r.protocol[m] = rule(MCPProtocolPrefix + m)
		r.actionNames = append(r.actionNames, MCPProtocolPrefix+m)
	}
	r.stream, r.close = rule(MCPStreamAction), rule(MCPCloseAction)
	r.actionNames = append(r.actionNames, MCPStreamAction, MCPCloseAction)
	if !r.DenyResponses {
		r.response = rule(MCPResponseAction)
		r.actionNames = append(r.actionNames, MCPResponseAction)
	}
}
