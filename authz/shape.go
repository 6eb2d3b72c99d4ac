package authz

import (
	"cmp"
	"fmt"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/policy"
)

// PolicyCheck is what a policy version is checked against before Tollgate
// serves it or IAM's tools pass it.
type PolicyCheck struct {
	Manifest  *manifest.Manifest // nil: no manifests known (offline tools only)
	Signals   []Signal
	JWTClaims []string
	// Delegation is what subject tokens add to the context; nil when
	// delegation is off.
	Delegation *DelegationContext
	// NoConfig: the signals and JWT claims are unknown (an offline tool run
	// without --config), so context attributes are not checked.
	NoConfig bool
	// RequireSchema refuses a version without a schema
	// (policy.require_schema).
	RequireSchema bool
}

// CheckPolicies runs the checks every policy version passes, in serve,
// validate, test, check --offline and bundle build: a schema when one is
// required; the manifests fit the schema; and every policy reads only
// context attributes, and names only entity types, actions and entities,
// that requests can have (ContextShape), with or without a schema. All
// problems are returned together.
func CheckPolicies(snap *policy.Snapshot, c PolicyCheck) error {
	_, err := CheckPoliciesWarnings(snap, c)
	return err
}

// CheckPoliciesWarnings is CheckPolicies, also returning the warnings of
// the shape check (policy.Snapshot.CheckShapeWarnings): a permit that reads
// an entity attribute no entity has, and a read of an attribute of entity
// types nothing describes. Tools print them, serve logs them; they do not
// refuse the version.
func CheckPoliciesWarnings(snap *policy.Snapshot, c PolicyCheck) (warnings []error, err error) {
	if err := snap.CheckSchemaRequired(c.RequireSchema); err != nil {
		return nil, err
	}
	if err := checkManifest(c.Manifest, snap.Schema(), mapperContext(c.Signals, c.JWTClaims, c.Delegation, false)); err != nil {
		return nil, err
	}
	return snap.CheckShapeWarnings(ContextShape(c))
}

// ContextShape is what the requests Tollgate builds with c can hold,
// derived from mapperContext (the one description of the context) and the
// manifests' routes.
func ContextShape(c PolicyCheck) *policy.Shape {
	sh := &policy.Shape{Principals: []types.EntityType{WorkloadType},
		Attributes: map[types.EntityType][]string{WorkloadType: principalAttrs()}}
	hasMCP := false
	if m := c.Manifest; m != nil {
		sh.EntityTypes = map[types.EntityType]bool{WorkloadType: true}
		if d := c.Delegation; d != nil {
			sh.EntityTypes[cmp.Or(d.EntityType, DefaultSubjectType)] = true
		}
		sh.Actions = map[types.EntityUID]bool{}
		resources := map[types.EntityType]bool{}
		for _, r := range m.Rules() {
			if r.MCPRule() != nil {
				hasMCP = true
				addMCPShape(sh, r.MCPRule(), resources)
				continue
			}
			sh.Actions[r.CedarAction()] = true
			resources[r.ResourceType()] = true
		}
		for t := range resources {
			sh.EntityTypes[t] = true
			sh.Resources = append(sh.Resources, t)
		}
		sh.ActionResources = map[types.EntityUID][]types.EntityType{}
		for a, ts := range actionPairs(m) { // the pairs AuthZEN holds requests to
			for t := range ts {
				sh.ActionResources[a] = append(sh.ActionResources[a], t)
			}
		}
	}
	if !c.NoConfig {
		sh.Context = shapeAttr(ctxAttr{want: "record", sub: mapperContext(c.Signals, c.JWTClaims, c.Delegation, hasMCP)})
	}
	return sh
}

// addMCPShape adds the actions and resource types an MCP route produces.
func addMCPShape(sh *policy.Shape, r *manifest.MCPRule, resources map[types.EntityType]bool) {
	resources[r.ToolEntityType()] = true
	if r.Mode == manifest.MCPToolResource {
		sh.Actions[r.ToolAction()] = true
	} else {
		sh.ActionPrefixes = append(sh.ActionPrefixes, r.ActionPrefix)
	}
	for _, m := range r.MethodRules() {
		if m.Policy() {
			sh.Actions[m.Action()] = true
			resources[m.ResourceType()] = true
		}
	}
}

func shapeAttr(a ctxAttr) *policy.Attr {
	out := &policy.Attr{Type: a.want, Open: a.open, Entity: a.entity}
	if a.sub != nil {
		out.Attrs = make(map[string]*policy.Attr, len(a.sub))
		for k, v := range a.sub {
			out.Attrs[k] = shapeAttr(v)
		}
	}
	return out
}

// String names the check's inputs, for tool summaries.
func (c PolicyCheck) String() string {
	switch {
	case c.NoConfig && c.Manifest == nil:
		return "principal attributes checked; context, entity types, actions and resource attributes not checked (pass --config)"
	case c.NoConfig:
		return "entity types, actions and entity attributes checked against the manifests; context not checked (pass --config)"
	case c.Manifest == nil:
		return "context and principal attributes checked against the config; entity types, actions and resource attributes not checked (no manifests)"
	}
	return fmt.Sprintf("checked against the context, entity types and actions Tollgate produces (%d signals)", len(c.Signals))
}
