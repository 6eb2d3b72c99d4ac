package policy

import (
	"github.com/cedar-policy/cedar-go"
	cast "github.com/cedar-policy/cedar-go/ast"
	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// InScope returns the @ids of the policies in force whose scope (principal,
// action, resource) req falls in, whatever their conditions say. Offline
// tools use it for coverage and to explain denials; it is not on the
// request path.
func (s *Snapshot) InScope(req cedar.Request, extra ...types.Entity) []string {
	ents := s.getter(extra)
	now := s.clock()
	var out []string
	for _, e := range s.entries {
		if !e.activeAt(now) {
			continue
		}
		p := *e.ast()
		p.Conditions = nil
		if holds(&p, ents, req) {
			out = append(out, e.meta.ID)
		}
	}
	return out
}

// getter is the snapshot's entity data with the extra entities laid over it.
func (s *Snapshot) getter(extra []types.Entity) types.EntityGetter {
	if len(extra) == 0 {
		return s.entities
	}
	return newOverlay(s.entities, extra)
}

// holds evaluates p as a permit: true when its scope and conditions hold.
func holds(p *xast.Policy, ents types.EntityGetter, req cedar.Request) bool {
	ok, _ := evalAlone(p, ents, req)
	return ok
}

// evalAlone evaluates p, as a permit, on its own; erred is true when a
// condition failed with an error.
func evalAlone(p *xast.Policy, ents types.EntityGetter, req cedar.Request) (ok, erred bool) {
	c := *p
	c.Effect = xast.EffectPermit
	ps := cedar.NewPolicySet()
	ps.Add("p", cedar.NewPolicyFromAST((*cast.Policy)(&c)))
	d, diag := cedar.Authorize(ps, ents, req)
	return d == cedar.Allow, len(diag.Errors) > 0
}
