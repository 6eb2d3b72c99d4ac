package manifest

import "github.com/cedar-policy/cedar-go/types"

// This file is the compiled form the engine reads: a Rule for each route,
// an MCPRule for an MCP endpoint's mcp block and an MCPMethod for each
// entry of its methods map. They are immutable once compiled.

// Rules returns the manifest's compiled routes, in manifest order. The
// caller must not modify them.
func (m *Manifest) Rules() []*Rule {
	if m == nil {
		return nil
	}
	return m.routes
}

// CedarAction is the route's Cedar action (zero for an MCP endpoint,
// whose actions come from each message).
func (r *Rule) CedarAction() types.EntityUID { return r.action }

// ResourceType is the Cedar type of the route's resource.
func (r *Rule) ResourceType() types.EntityType { return r.resType }

// ResourceFor is the route's Cedar resource for the captured values vals
// (in the order of the route's captures, as Lookup returns them).
func (r *Rule) ResourceFor(vals []string) types.EntityUID {
	return types.NewEntityUID(r.resType, types.String(renderID(r.idParts, vals)))
}

// MCPRule is the compiled mcp block of an MCP endpoint; nil for any other
// route.
func (r *Rule) MCPRule() *MCPRule { return r.mcp }

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
