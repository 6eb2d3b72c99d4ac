package manifest

import "github.com/cedar-policy/cedar-go/types"

// MCPAction is an action an MCP route may ask policy about, with the
// type of its resource. IfDeclared marks a protocol default
// (Action::"mcp:<method>"): a schema that leaves it out only means that
// the method is never allowed, so it is checked only when declared.
type MCPAction struct {
	Action       types.EntityUID
	ResourceType types.EntityType
	IfDeclared   bool
}

// PolicyActions lists the actions of an MCP route: its tools/call
// action(s) (per_tool: those of the declared tools), the actions its
// methods map, and the protocol defaults and response action that the
// route does not deny.
func (r *MCPRule) PolicyActions() []MCPAction {
	var out []MCPAction
	seen := map[types.EntityUID]bool{}
	add := func(a types.EntityUID, t types.EntityType, ifDeclared bool) {
		if !seen[a] {
			seen[a] = true
			out = append(out, MCPAction{a, t, ifDeclared})
		}
	}
	if r.Mode == MCPToolResource {
		add(r.toolAction, r.toolType, false)
	}
	for _, tool := range r.Tools {
		if r.Mode == MCPPerTool {
			add(types.NewEntityUID("Action", types.String(r.ActionPrefix+tool)), r.toolType, false)
		}
	}
	for _, m := range r.exact {
		if m.verdict == VerdictPolicy {
			add(m.action, m.resType, false)
		}
	}
	for _, p := range r.prefixes {
		if p.m.verdict == VerdictPolicy {
			add(p.m.action, p.m.resType, false)
		}
	}
	for _, name := range mcpProtocolMethods {
		if def := r.protocol[name]; r.method(name) == def {
			add(def.action, def.resType, true)
		}
	}
	for _, m := range []*MCPMethod{r.response, r.stream, r.close} {
		if m != nil {
			add(m.action, m.resType, true)
		}
	}
	return out
}
