package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"

	"github.com/tollgate-authz/tollgate/internal/suggest"
)

// entityAttrs is every attribute an entity can have when a request is
// decided, by entity type: an entity's attributes come only from IAM's
// entity data and from what Tollgate sets on the entities it builds, and a
// schema declares them. A type is in the map when one of the three
// describes it (possibly with no attribute at all); a type none describes
// is absent: its attribute names cannot be checked.
func (s *Snapshot) entityAttrs(sh *Shape) map[types.EntityType]map[string]bool {
	if s == nil {
		return nil
	}
	out := map[types.EntityType]map[string]bool{}
	of := func(t types.EntityType) map[string]bool {
		if out[t] == nil {
			out[t] = map[string]bool{}
		}
		return out[t]
	}
	for uid, e := range s.entities {
		m := of(uid.Type)
		for key := range e.Attributes.Keys() {
			m[string(key)] = true
		}
	}
	for t, names := range sh.Attributes {
		m := of(t)
		for _, n := range names {
			m[n] = true
		}
	}
	if s.schema != nil {
		for t, e := range s.schema.Entities {
			m := of(t)
			for key := range e.Shape {
				m[string(key)] = true
			}
		}
		for t := range s.schema.Enums {
			of(t)
		}
	}
	return out
}

// attrReads checks a policy's reads of entity attributes (`e.a`, `e["a"]`,
// `e has a`) where e is principal, resource, an entity-valued context
// attribute or an entity literal. A read that no entity of any type e can
// be has is never set: an error in a forbid (it can never fire, or fires
// only as an evaluation error), a warning in a permit (it never applies, a
// denial). When no type e can be is described at all, the name cannot be
// judged: a warning.
type attrReads struct {
	k         *knownSet
	p         *xast.Policy
	add, warn func(string)
}

func (r *attrReads) node(n xast.IsNode) {
	switch x := n.(type) {
	case xast.NodeTypeAccess:
		r.read(x.Arg, string(x.Value))
	case xast.NodeTypeHas:
		r.read(x.Arg, string(x.Value))
	}
}

func (r *attrReads) read(arg xast.IsNode, name string) {
	what, cand := r.entityOf(arg)
	if cand == nil {
		return
	}
	var known, unknown, have []string
	all := r.k.attributes()
	for _, t := range cand {
		attrs, ok := all[t]
		switch {
		case !ok:
			unknown = append(unknown, string(t))
		case attrs[name]:
			return
		default:
			known = append(known, string(t))
			for a := range attrs {
				have = append(have, a)
			}
		}
	}
	here := what + "." + name
	if len(known) == 0 {
		r.warn(fmt.Sprintf("%s: no %s entity has attributes: neither the entity data nor a schema describes %s, "+
			"and Tollgate sets none, so the name cannot be checked (add the entities to entities.json, or a schema)",
			here, strings.Join(unknown, " or "), strings.Join(unknown, ", ")))
		return
	}
	slices.Sort(have)
	have = slices.Compact(have)
	msg := fmt.Sprintf("%s: no %s entity has %s%s; they have %s", here,
		strings.Join(known, " or "), name, suggest.Hint(name, have), listOf(have))
	if len(unknown) > 0 {
		msg += fmt.Sprintf(" (and %s entities have no attributes)", strings.Join(unknown, ", "))
	}
	if r.p.Effect == xast.EffectForbid {
		r.add(msg)
	} else {
		r.warn(msg)
	}
}

// attributes is entityAttrs, gathered once, at the first read that needs
// it: policies that read no entity attribute never walk the entity data.
func (k *knownSet) attributes() map[types.EntityType]map[string]bool {
	if k.attrs == nil {
		k.attrs = k.snap.entityAttrs(k.sh)
	}
	return k.attrs
}

// entityOf names the entity expression n and the types it can have,
// sorted; nil when n is not an entity expression this check follows, or
// its types are unknown.
func (r *attrReads) entityOf(n xast.IsNode) (string, []types.EntityType) {
	switch x := n.(type) {
	case xast.NodeTypeVariable:
		switch x.Name {
		case "principal":
			return "principal", scopeTypes(r.p.Principal, r.k.sh.Principals)
		case "resource":
			return "resource", scopeTypes(r.p.Resource, r.k.actionResources(r.p.Action))
		}
	case xast.NodeValue:
		if uid, ok := x.Value.(types.EntityUID); ok {
			return uid.String(), []types.EntityType{uid.Type}
		}
	case xast.NodeTypeAccess:
		if a := r.k.contextAttr(n); a != nil && a.Entity != "" {
			p, _ := contextPath(n)
			return dotted(p), []types.EntityType{a.Entity}
		}
	}
	return "", nil
}

// scopeTypes are the types a scope allows: the one it names (==, is),
// else the types Tollgate gives the variable (nil when unknown).
func scopeTypes(n xast.IsScopeNode, role []types.EntityType) []types.EntityType {
	switch x := n.(type) {
	case xast.ScopeTypeEq:
		return []types.EntityType{x.Entity.Type}
	case xast.ScopeTypeIs:
		return []types.EntityType{x.Type}
	case xast.ScopeTypeIsIn:
		return []types.EntityType{x.Type}
	}
	if role == nil {
		return nil
	}
	out := slices.Clone(role)
	slices.Sort(out)
	return slices.Compact(out)
}

// contextAttr is the shape's attribute n reads under context, or nil.
func (k *knownSet) contextAttr(n xast.IsNode) *Attr {
	path, ok := contextPath(n)
	if !ok || k.sh.Context == nil {
		return nil
	}
	cur := k.sh.Context
	for _, name := range path {
		if cur = cur.Attrs[name]; cur == nil {
			return nil
		}
	}
	return cur
}

// listOf lists names for a message, at most 12.
func listOf(names []string) string {
	switch {
	case len(names) == 0:
		return "none"
	case len(names) > 12:
		return strings.Join(names[:12], ", ") + fmt.Sprintf(", … (%d in all)", len(names))
	}
	return strings.Join(names, ", ")
}
