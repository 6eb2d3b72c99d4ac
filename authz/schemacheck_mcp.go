package authz

import (
	"github.com/cedar-policy/cedar-go/types"
	"github.com/cedar-policy/cedar-go/x/exp/schema/resolved"
)

// mcpSchemaAction is an action an MCP route may ask policy about, with the
// type of its resource. ifDeclared marks a protocol default
// (Action::"mcp:<method>"): a schema that leaves it out only means that
// the method is never allowed, so it is checked only when declared.
type mcpSchemaAction struct {
	action     types.EntityUID
	resType    types.EntityType
	ifDeclared bool
}

// schemaActions lists the actions of an MCP route: its tools/call
// action(s) (per_tool: those of the declared tools), the actions its
// methods map, and the protocol defaults and response action that the
// route does not deny.
func (r *mcpRoute) schemaActions() []mcpSchemaAction {
	var out []mcpSchemaAction
	seen := map[types.EntityUID]bool{}
	add := func(a types.EntityUID, t types.EntityType, ifDeclared bool) {
		if !seen[a] {
			seen[a] = true
			out = append(out, mcpSchemaAction{a, t, ifDeclared})
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
		if m.verdict == mcpPolicy {
			add(m.action, m.resType, false)
		}
	}
	for _, p := range r.prefixes {
		if p.m.verdict == mcpPolicy {
			add(p.m.action, p.m.resType, false)
		}
	}
	for _, name := range mcpProtocolMethods {
		if def := r.protocol[name]; r.method(name) == def {
			add(def.action, def.resType, true)
		}
	}
	for _, m := range []*mcpMethod{r.response, r.stream, r.close} {
		if m != nil {
			add(m.action, m.resType, true)
		}
	}
	return out
}

// checkMCPRoute checks the actions of an MCP route against the schema.
func checkMCPRoute(m *Manifest, r *route, s *resolved.Schema, provided map[string]ctxAttr) []error {
	var errs []error
	for _, a := range r.mcp.schemaActions() {
		if _, ok := s.Actions[a.action]; !ok && a.ifDeclared {
			continue
		}
		for _, msg := range checkAction(a.action, a.resType, s, provided) {
			errs = append(errs, &SchemaMismatchError{File: routeFile(m, r), Line: r.Line,
				Route: r.Name, Action: a.action.String(), Msg: msg})
		}
	}
	return errs
}
