package manifest

import (
	"maps"
	"slices"
	"strings"

	"github.com/cedar-policy/cedar-go/types"
)

// MCP tool modes of an mcp route.
const (
	// MCPPerTool maps tools/call of tool T to Action::"<action_prefix>T".
	MCPPerTool = "per_tool"
	// MCPToolResource maps every tools/call to one action with the tool as
	// resource.
	MCPToolResource = "tool_resource"
)

// MCPToolLabel is the metric action label of a per_tool call to a tool the
// manifest does not declare in mcp.tools: tool names come from the client,
// so they never become label values.
const MCPToolLabel = "mcp_tool"

// MCPRoute is the mcp block of a route, as written in the manifest.
type MCPRoute struct {
	Server       string // tool namespace, e.g. github
	Mode         string // MCPPerTool or MCPToolResource
	Action       string // tools/call action in tool_resource mode
	ActionPrefix string // per_tool: the action is ActionPrefix + tool
	ToolType     string // Cedar type of the tool resource (default Tool)
	Tools        []string
	// Methods maps a method name or "prefix/*" pattern to "deny" or the
	// action name it is authorized as. A manifest never allows.
	Methods map[string]string
	// DenyResponses refuses JSON-RPC responses from the client; otherwise
	// each is Action::"mcp:response", decided by policy.
	DenyResponses bool
	MaxBodyBytes  int
	// MaxValues and MaxArgumentDepth bound the body (see mcp.Options).
	MaxValues        int
	MaxArgumentDepth int
	// FoldArgumentNames (argument_names: fold) gives policy the argument
	// keys folded, as a server that binds them case-insensitively reads
	// them (see mcp.Options.FoldArgumentNames).
	FoldArgumentNames bool
	// Pins maps a tool name to the pin of its definition (mcp.PinOf). A
	// listed tool that does not match is hidden and its calls denied; with
	// any pins, a listed tool without one is hidden. A pin never grants.
	Pins map[string]string
}

func (m *MCPRoute) clone() *MCPRoute {
	if m == nil {
		return nil
	}
	c := *m
	c.Tools = slices.Clone(m.Tools)
	c.Methods = maps.Clone(m.Methods)
	c.Pins = maps.Clone(m.Pins)
	return &c
}

// Verdict says how a method is authorized. There is no "allow": a
// manifest declares, it never grants.
type Verdict int

const (
	VerdictDeny   Verdict = iota // refused by the manifest (or not known)
	VerdictPolicy                // mapped to an action; policy decides
)

// MCPMethod is a compiled entry of the methods map.
type MCPMethod struct {
	verdict Verdict
	name    string // action name as written, for the metric label
	action  types.EntityUID
	resType types.EntityType
	idParts []idPart // over mcpCaptureNames after the route's captures
}

// MCPRule is a compiled MCPRoute.
type MCPRule struct {
	MCPRoute
	toolAction  types.EntityUID // tool_resource
	toolType    types.EntityType
	tools       map[string]bool
	exact       map[string]*MCPMethod
	prefixes    []mcpPrefix           // longest first
	protocol    map[string]*MCPMethod // MCPProtocolAction defaults
	response    *MCPMethod            // nil when responses are denied
	stream      *MCPMethod            // GET: the server's SSE stream
	close       *MCPMethod            // DELETE: the session's end
	actionNames []string
}

type mcpPrefix struct {
	prefix string // "notifications/"
	m      *MCPMethod
}

// mcpCaptureNames are the values a method's resource id template can use
// besides the route's path captures.
func mcpCaptureNames() []string { return []string{"server", "method", "uri", "prompt"} }

// method finds the rule for an MCP method: an exact entry beats the
// longest matching "prefix/*" pattern, which beats the protocol default.
// nil means denied.
func (r *MCPRule) method(name string) *MCPMethod {
	if m := r.exact[name]; m != nil {
		return m
	}
	for _, p := range r.prefixes {
		if strings.HasPrefix(name, p.prefix) {
			return p.m
		}
	}
	return r.protocol[name]
}

// ToolAction is the one tools/call action of a tool_resource route.
func (r *MCPRule) ToolAction() types.EntityUID { return r.toolAction }

// ToolEntityType is the Cedar type of the route's tool resources.
func (r *MCPRule) ToolEntityType() types.EntityType { return r.toolType }

// Stream is the rule of the GET that opens the server's SSE stream.
func (r *MCPRule) Stream() *MCPMethod { return r.stream }

// Close is the rule of the DELETE that ends the session.
func (r *MCPRule) Close() *MCPMethod { return r.close }

// MethodRules lists every compiled method rule of the route: the
// methods map's entries, the protocol defaults and the response, stream
// and close rules.
func (r *MCPRule) MethodRules() []*MCPMethod {
	var out []*MCPMethod
	for _, m := range r.exact {
		out = append(out, m)
	}
	for _, p := range r.prefixes {
		out = append(out, p.m)
	}
	for _, m := range r.protocol {
		out = append(out, m)
	}
	for _, m := range []*MCPMethod{r.response, r.stream, r.close} {
		if m != nil {
			out = append(out, m)
		}
	}
	return out
}

// Policy says policy decides the method (the manifest does not deny it).
func (m *MCPMethod) Policy() bool { return m.verdict == VerdictPolicy }

// Name is the method's action name as written, a bounded metric label.
func (m *MCPMethod) Name() string { return m.name }

// Action is the method's Cedar action.
func (m *MCPMethod) Action() types.EntityUID { return m.action }

// ResourceType is the Cedar type of the method's resource.
func (m *MCPMethod) ResourceType() types.EntityType { return m.resType }
