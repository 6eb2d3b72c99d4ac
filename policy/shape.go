package policy

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"

	"github.com/tollgate-authz/tollgate/internal/suggest"
)

// ErrNeverProduced is wrapped by every problem CheckShape finds: the policy
// reads a context attribute, names an entity type, an action or an entity
// that no request Tollgate builds can ever have, so the policy (or the part
// of it) can never apply. For a forbid that silently switches it off.
var ErrNeverProduced = errors.New("reads what Tollgate never produces")

// ErrNoSchema is returned when a schema is required and the source has none.
var ErrNoSchema = errors.New("no schema: policy.require_schema is set; add schema.cedarschema (or schema.cedarschema.json)")

// Shape is what the requests Tollgate builds can hold. authz derives it from
// the config (signals, JWT claims) and the manifests.
type Shape struct {
	// Context is the context record; nil when unknown (nothing is checked).
	Context *Attr
	// EntityTypes are the types Tollgate makes request entities of
	// (principal and resource types). The schema's types and the types of
	// IAM's entity data are known too. Nil when unknown (no manifests):
	// entity types, actions and entities are then not checked.
	EntityTypes map[types.EntityType]bool
	// Actions are the actions the manifests map requests to; the schema's
	// actions and action groups in the entity data are known too.
	Actions map[types.EntityUID]bool
	// ActionPrefixes: any Action::"<prefix>..." may be produced (MCP
	// per_tool mode, whose tool names come from the client).
	ActionPrefixes []string
	// Principals and Resources are the entity types Tollgate makes the
	// principal and the resource of a request; nil when unknown. A read of
	// a principal or resource attribute is checked against the attributes
	// entities of these types can have (shape_attrs.go).
	Principals, Resources []types.EntityType
	// ActionResources are, for each action the manifests produce, the
	// resource types they produce it with; a per-tool action (a prefix)
	// may have any of Resources.
	ActionResources map[types.EntityUID][]types.EntityType
	// Attributes are the attributes Tollgate sets on the entities it
	// builds, by type (a Workload's trust_domain, path, ...). With IAM's
	// entity data and the schema they are every attribute an entity can
	// have when a request is decided.
	Attributes map[types.EntityType][]string
}

// Attr is one context attribute: its Cedar type and, for a record, its
// attributes. An Open record holds whatever the request sent.
type Attr struct {
	Type  string
	Attrs map[string]*Attr
	Open  bool
	// Entity is the type of an entity-valued attribute
	// (context.on_behalf_of): reads of its attributes are checked as the
	// entity type's.
	Entity types.EntityType
}

// CheckSchemaRequired returns ErrNoSchema when require is set and s has no
// schema.
func (s *Snapshot) CheckSchemaRequired(require bool) error {
	if require && s.schema == nil {
		return wrap(ErrNoSchema)
	}
	return nil
}

// CheckShape checks every policy against sh: each context attribute it
// reads, each entity type, action and entity it names must be one a
// request can have, and so must each attribute of an entity it reads (see
// CheckShapeWarnings). Every problem is a *LoadError naming the file, line
// and @id, wrapping ErrNeverProduced; all are returned together.
func (s *Snapshot) CheckShape(sh *Shape) error {
	_, err := s.CheckShapeWarnings(sh)
	return err
}

// CheckShapeWarnings is CheckShape, also returning what it finds but does
// not refuse, as *LoadErrors wrapping ErrNeverProduced: a permit that
// reads an entity attribute no entity has (it never applies, which denies),
// and a read of an attribute of entity types that no entity data, schema
// or Tollgate describes, whose names cannot be checked.
func (s *Snapshot) CheckShapeWarnings(sh *Shape) (warnings []error, err error) {
	if sh == nil {
		return nil, nil
	}
	k := s.known(sh)
	k.snap = s
	var errs []error
	for _, e := range s.entries {
		f := k.policy(e.ast())
		errs = append(errs, e.shapeErrors(f.errs)...)
		warnings = append(warnings, e.shapeErrors(f.warns)...)
	}
	return warnings, errors.Join(errs...)
}

func (e *entry) shapeErrors(msgs []string) []error {
	out := make([]error, 0, len(msgs))
	for _, msg := range msgs {
		out = append(out, &LoadError{File: e.meta.File, Line: e.meta.Line, Column: e.meta.Column,
			PolicyID: e.meta.ID, Err: fmt.Errorf("%w: %s", ErrNeverProduced, msg)})
	}
	return out
}

// knownSet is a Shape completed with the schema and the entity data.
type knownSet struct {
	sh       *Shape
	types    map[types.EntityType]bool
	actions  map[types.EntityUID]bool
	entities types.EntityMap
	snap     *Snapshot                            // for attributes (shape_attrs.go); set by CheckShapeWarnings
	attrs    map[types.EntityType]map[string]bool // gathered at the first attribute read
}

func (s *Snapshot) known(sh *Shape) *knownSet {
	k := &knownSet{sh: sh, types: map[types.EntityType]bool{}, actions: map[types.EntityUID]bool{}, entities: s.entities}
	for t := range sh.EntityTypes {
		k.types[t] = true
	}
	for a := range sh.Actions {
		k.actions[a] = true
		k.types[a.Type] = true
	}
	for uid := range s.entities {
		k.types[uid.Type] = true
		if isActionType(uid.Type) {
			k.actions[uid] = true
		}
	}
	if s.schema != nil {
		for t := range s.schema.Entities {
			k.types[t] = true
		}
		for t := range s.schema.Enums {
			k.types[t] = true
		}
		for a := range s.schema.Actions {
			k.actions[a] = true
			k.types[a.Type] = true
		}
	}
	return k
}

func isActionType(t types.EntityType) bool {
	return t == "Action" || strings.HasSuffix(string(t), "::Action")
}

// findings are one policy's problems: errors refuse the version, warnings
// do not. Each sorted and without repeats.
type findings struct{ errs, warns []string }

// policy returns the findings of one policy.
func (k *knownSet) policy(p *xast.Policy) findings {
	errs, warns := map[string]bool{}, map[string]bool{}
	add := func(msg string) { errs[msg] = true }
	if k.sh.EntityTypes != nil {
		k.scope(p.Principal, add)
		k.scope(p.Action, add)
		k.scope(p.Resource, add)
	}
	r := attrReads{k: k, p: p, add: add, warn: func(msg string) { warns[msg] = true }}
	for _, c := range p.Conditions {
		xast.Inspect(xast.NewNode(c.Body), func(n xast.IsNode) bool {
			k.node(n, add)
			r.node(n)
			return true
		})
	}
	for m := range errs {
		delete(warns, m)
	}
	return findings{errs: sortedKeys(errs), warns: sortedKeys(warns)}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (k *knownSet) scope(n xast.IsScopeNode, add func(string)) {
	switch x := n.(type) {
	case xast.ScopeTypeEq:
		k.uid(x.Entity, add)
	case xast.ScopeTypeIn:
		k.uid(x.Entity, add)
	case xast.ScopeTypeInSet:
		for _, u := range x.Entities {
			k.uid(u, add)
		}
	case xast.ScopeTypeIs:
		k.typ(x.Type, add)
	case xast.ScopeTypeIsIn:
		k.typ(x.Type, add)
		k.uid(x.Entity, add)
	}
}

func (k *knownSet) node(n xast.IsNode, add func(string)) {
	switch x := n.(type) {
	case xast.NodeTypeAccess:
		k.context(x.Arg, x.Value, add)
		return
	case xast.NodeTypeHas:
		k.context(x.Arg, x.Value, add)
		return
	}
	if k.sh.EntityTypes == nil {
		return
	}
	switch x := n.(type) {
	case xast.NodeValue:
		k.value(x.Value, add)
	case xast.NodeTypeIs:
		k.typ(x.EntityType, add)
	case xast.NodeTypeIsIn:
		k.typ(x.EntityType, add)
	}
}

func (k *knownSet) value(v types.Value, add func(string)) {
	switch x := v.(type) {
	case types.EntityUID:
		k.uid(x, add)
	case types.Set:
		for e := range x.All() {
			k.value(e, add)
		}
	case types.Record:
		for _, e := range x.All() {
			k.value(e, add)
		}
	}
}

func (k *knownSet) typ(t types.EntityType, add func(string)) {
	if !k.types[t] {
		add(fmt.Sprintf("entity type %s is in neither the schema, the manifests nor the entity data%s",
			t, suggest.Hint(string(t), k.typeNames())))
	}
}

func (k *knownSet) uid(u types.EntityUID, add func(string)) {
	switch {
	case !k.types[u.Type]:
		k.typ(u.Type, add)
	case isActionType(u.Type):
		if !k.action(u) {
			add(fmt.Sprintf("action %s is named by neither the schema, the manifests nor the entity data%s",
				u, suggest.Hint(string(u.ID), k.actionNames(u.Type))))
		}
	case k.sh.EntityTypes[u.Type]:
		// a request entity: it need not be in the entity data
	default:
		if _, ok := k.entities[u]; !ok {
			add(fmt.Sprintf("entity %s is not in the entity data, and Tollgate never makes a request entity "+
				"of type %s, so no request is ever in it", u, u.Type))
		}
	}
}

func (k *knownSet) action(u types.EntityUID) bool { return k.actions[u] || k.perTool(u) }

func (k *knownSet) typeNames() []string {
	out := make([]string, 0, len(k.types))
	for t := range k.types {
		out = append(out, string(t))
	}
	return out
}

func (k *knownSet) actionNames(t types.EntityType) []string {
	var out []string
	for a := range k.actions {
		if a.Type == t {
			out = append(out, string(a.ID))
		}
	}
	return out
}
