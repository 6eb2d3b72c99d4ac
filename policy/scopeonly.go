package policy

import (
	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// scopeOnly is a policy without conditions, kept as its scope alone, or
// with conditions Tollgate decides itself (when: see conjunction).
// Most of an enterprise policy set is such grants (`permit (principal ==
// W, action == A, resource == R)`); cedar-go holds each as a parsed tree
// and a compiled evaluator, about 800 bytes, where the scope needs about
// 300. Its scope is decided by scopeOnly.holds, which follows cedar-go's
// own scope evaluation (internal/eval: scopeToNode, entityInOne and
// entityInSet); FuzzIndexDifferential and Cedar's corpus test compare the
// result with cedar.Authorize over the parsed policies.
type scopeOnly struct {
	effect      xast.Effect
	principal   xast.IsPrincipalScopeNode
	action      xast.IsActionScopeNode
	resource    xast.IsResourceScopeNode
	annotations []xast.AnnotationType
	when        conjunction // nil: no conditions
}

// compactScope returns p as a scopeOnly when each scope is of a kind holds
// decides and it has no conditions, or conditions compileWhen accepts.
func compactScope(p *xast.Policy, in *interner) (*scopeOnly, bool) {
	if !knownScope(p.Principal) || !knownScope(p.Action) || !knownScope(p.Resource) {
		return nil, false
	}
	when, ok := compileWhen(p.Conditions, in)
	if !ok {
		return nil, false
	}
	return &scopeOnly{effect: p.Effect, principal: p.Principal, action: p.Action, resource: p.Resource,
		annotations: p.Annotations, when: when}, true
}

func knownScope(n xast.IsScopeNode) bool {
	switch n.(type) {
	case xast.ScopeTypeAll, xast.ScopeTypeEq, xast.ScopeTypeIn, xast.ScopeTypeInSet, xast.ScopeTypeIs, xast.ScopeTypeIsIn:
		return true
	}
	return false
}

// policy rebuilds the parsed form (without the source offset) for the
// offline uses that read it: checks, explain, coverage.
func (s *scopeOnly) policy(m *Meta) *xast.Policy {
	return &xast.Policy{Effect: s.effect, Annotations: s.annotations,
		Principal: s.principal, Action: s.action, Resource: s.resource, Conditions: s.when.conditions(),
		Position: xast.Position{Filename: m.File, Line: m.Line, Column: m.Column}}
}

// decide reports whether req satisfies the policy, as cedar-go evaluates
// it: the scope (which cannot error), then the conditions. kind is set
// when a condition errors; the policy is then not satisfied.
func (s *scopeOnly) decide(req *cedar.Request, ents types.EntityGetter) (ok bool, kind ErrorKind) {
	if !s.holds(req, ents) {
		return false, ""
	}
	return s.when.decide(req, ents)
}

// holds reports whether req is in the scope. A scope cannot error.
func (s *scopeOnly) holds(req *cedar.Request, ents types.EntityGetter) bool {
	return scopeHolds(s.principal, req.Principal, ents) &&
		scopeHolds(s.action, req.Action, ents) &&
		scopeHolds(s.resource, req.Resource, ents)
}

func scopeHolds(n xast.IsScopeNode, uid types.EntityUID, ents types.EntityGetter) bool {
	switch t := n.(type) {
	case xast.ScopeTypeAll:
		return true
	case xast.ScopeTypeEq:
		return uid == t.Entity
	case xast.ScopeTypeIn:
		return entityIn(ents, uid, func(u types.EntityUID) bool { return u == t.Entity },
			func(p types.EntityUIDSet) bool { return p.Contains(t.Entity) })
	case xast.ScopeTypeInSet:
		return entityIn(ents, uid, func(u types.EntityUID) bool { return containsUID(t.Entities, u) },
			func(p types.EntityUIDSet) bool { return intersects(p, t.Entities) })
	case xast.ScopeTypeIs:
		return uid.Type == t.Type
	case xast.ScopeTypeIsIn:
		return uid.Type == t.Type && entityIn(ents, uid, func(u types.EntityUID) bool { return u == t.Entity },
			func(p types.EntityUIDSet) bool { return p.Contains(t.Entity) })
	}
	return false // compactScope admits no other kind
}

// entityIn is Cedar's `in`: uid is a target, or a target is among the
// parents of uid or of an entity reachable through parents. The walk is
// cedar-go's: an entity reached again, uid itself, or one without parents
// is not walked twice or at all.
func entityIn(ents types.EntityGetter, uid types.EntityUID, is func(types.EntityUID) bool,
	anyParent func(types.EntityUIDSet) bool) bool {
	if is(uid) {
		return true
	}
	var known map[types.EntityUID]struct{}
	var todo []types.EntityUID
	cur := uid
	for {
		if e, ok := ents.Get(cur); ok {
			if anyParent(e.Parents) {
				return true
			}
			for k := range e.Parents.All() {
				p, ok := ents.Get(k)
				if !ok || p.Parents.Len() == 0 || k == uid {
					continue
				}
				if _, seen := known[k]; seen {
					continue
				}
				if known == nil {
					known = map[types.EntityUID]struct{}{}
				}
				todo, known[k] = append(todo, k), struct{}{}
			}
		}
		if len(todo) == 0 {
			return false
		}
		cur, todo = todo[len(todo)-1], todo[:len(todo)-1]
	}
}

func containsUID(list []types.EntityUID, u types.EntityUID) bool {
	for _, x := range list {
		if x == u {
			return true
		}
	}
	return false
}

func intersects(set types.EntityUIDSet, list []types.EntityUID) bool {
	for _, u := range list {
		if set.Contains(u) {
			return true
		}
	}
	return false
}
