package policy

import (
	"slices"
	"strings"

	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// actionResources are the types the resource can be in a policy with
// action scope n: those the manifests produce its actions with. Any
// action it allows that could be a per-tool action, and a scope this
// cannot narrow, allow every resource type.
func (k *knownSet) actionResources(n xast.IsScopeNode) []types.EntityType {
	all := k.sh.Resources
	if all == nil || k.sh.ActionResources == nil {
		return all
	}
	var acts []types.EntityUID
	switch x := n.(type) {
	case xast.ScopeTypeEq:
		acts = []types.EntityUID{x.Entity}
	case xast.ScopeTypeIn:
		acts = k.withMembers([]types.EntityUID{x.Entity})
	case xast.ScopeTypeInSet:
		acts = k.withMembers(x.Entities)
	default:
		return all
	}
	var out []types.EntityType
	for _, a := range acts {
		ts, ok := k.sh.ActionResources[a]
		switch {
		case ok:
			out = append(out, ts...)
		case k.perTool(a):
			return all
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// withMembers is groups and every action of the entity data in one of
// them (`action in group` holds for those too; ancestors are closed).
func (k *knownSet) withMembers(groups []types.EntityUID) []types.EntityUID {
	out := slices.Clone(groups)
	for uid, e := range k.entities {
		if !isActionType(uid.Type) {
			continue
		}
		for _, g := range groups {
			if e.Parents.Contains(g) {
				out = append(out, uid)
				break
			}
		}
	}
	return out
}

// perTool reports whether a could be an MCP per-tool action.
func (k *knownSet) perTool(a types.EntityUID) bool {
	for _, p := range k.sh.ActionPrefixes {
		if a.Type == "Action" && strings.HasPrefix(string(a.ID), p) {
			return true
		}
	}
	return false
}
