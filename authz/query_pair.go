package authz

import (
	"fmt"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// actionPairs lists, for each action a route produces, the resource types
// it produces it with (the MCP routes' tool actions on their tool type,
// their method rules on theirs). Per-tool actions (a prefix) are held to
// their tool by checkMCP.
func actionPairs(m *manifest.Manifest) map[types.EntityUID]map[types.EntityType]bool {
	out := map[types.EntityUID]map[types.EntityType]bool{}
	add := func(a types.EntityUID, t types.EntityType) {
		if out[a] == nil {
			out[a] = map[types.EntityType]bool{}
		}
		out[a][t] = true
	}
	for _, r := range m.Rules() {
		mr := r.MCPRule()
		if mr == nil {
			add(r.CedarAction(), r.ResourceType())
			continue
		}
		if mr.Mode == manifest.MCPToolResource {
			add(mr.ToolAction(), mr.ToolEntityType())
		}
		for _, mm := range mr.MethodRules() {
			if mm.Policy() {
				add(mm.Action(), mm.ResourceType())
			}
		}
	}
	return out
}

// checkPair refuses an action on a resource type no route produces it
// with: the Envoy door never asks that, so policies were never written
// for it.
func (qs *queryShape) checkPair(action types.EntityUID, label string, res types.EntityUID) error {
	if label == manifest.MCPToolLabel && qs.pairs[action] == nil {
		return nil // a per-tool action: checkMCP holds it to its tool
	}
	if !qs.pairs[action][res.Type] {
		return fmt.Errorf("resource.type %.80q: no manifest route produces %s on this resource type", string(res.Type), uidString(action))
	}
	return nil
}
