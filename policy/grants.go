package policy

import (
	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// Grants returns the @ids of the permits in force that grant something to
// principal by name: those whose principal scope is constrained (==, in,
// is, is ... in) and covers it, with IAM's entity data and extra laid over
// it; action, resource and conditions are not considered. A permit whose
// principal scope is unconstrained grants to everyone and is not listed.
// Offline tools use it for access reviews; it is not on the request path.
func (s *Snapshot) Grants(principal types.EntityUID, extra ...types.Entity) []string {
	ents := s.getter(extra)
	now := s.clock()
	req := cedar.Request{Principal: principal}
	var out []string
	for _, e := range s.entries {
		if e.forbid() || !e.activeAt(now) {
			continue
		}
		full := e.ast()
		if _, all := full.Principal.(xast.ScopeTypeAll); all {
			continue
		}
		p := xast.Policy{Effect: xast.EffectPermit, Principal: full.Principal,
			Action: xast.ScopeTypeAll{}, Resource: xast.ScopeTypeAll{}}
		if holds(&p, ents, req) {
			out = append(out, e.meta.ID)
		}
	}
	return out
}
