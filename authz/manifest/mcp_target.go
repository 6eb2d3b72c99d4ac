package manifest

import (
	"slices"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// MCPTarget is how one JSON-RPC message is authorized: denied by the
// manifest, or the Cedar action and resource that policy decides.
type MCPTarget struct {
	Verdict          Verdict
	Action, Resource types.EntityUID
	Label            string // bounded metric label
}

// Target is how the route authorizes message m; vals are the route's
// captured path values.
func (r *MCPRule) Target(m *mcp.Message, vals []string) MCPTarget {
	if m.Method == "tools/call" {
		t := MCPTarget{Verdict: VerdictPolicy, Resource: types.NewEntityUID(r.toolType, types.String(r.Server+"/"+m.Tool))}
		if r.Mode == MCPToolResource {
			t.Action, t.Label = r.toolAction, r.Action
			return t
		}
		name := r.ActionPrefix + m.Tool
		t.Action, t.Label = types.NewEntityUID("Action", types.String(name)), MCPToolLabel
		if r.tools[m.Tool] {
			t.Label = name
		}
		return t
	}
	rule := r.method(m.Method)
	if m.Response {
		rule = r.response
	}
	if rule == nil {
		return MCPTarget{Verdict: VerdictDeny}
	}
	t := MCPTarget{Verdict: rule.verdict, Action: rule.action, Label: rule.name}
	if rule.verdict == VerdictPolicy {
		all := append(slices.Clone(vals), r.Server, m.Method, m.URI, m.Prompt)
		if usesEmpty(rule.idParts, all) {
			// {uri} or {prompt} on a method that has none: every call
			// would be one resource, which a forbid on a particular one
			// never matches.
			return MCPTarget{Verdict: VerdictDeny}
		}
		t.Resource = types.NewEntityUID(rule.resType, types.String(renderID(rule.idParts, all)))
	}
	return t
}

// usesEmpty says the id template names a value that is empty.
func usesEmpty(parts []idPart, vals []string) bool {
	for _, p := range parts {
		if p.capture >= 0 && vals[p.capture] == "" {
			return true
		}
	}
	return false
}
