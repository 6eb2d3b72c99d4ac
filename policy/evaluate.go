package policy

import (
	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

// Evaluate decides req against the policies in force now. The extra
// entities (typically the principal and resource built for this request)
// overlay IAM's entity data: an extra entity IAM also knows keeps IAM's
// parents, and its own attributes win. It fails closed: a forbid that errors
// denies with ReasonForbidError; an erroring permit never allows.
// A nil Snapshot denies with ReasonNoSnapshot.
func (s *Snapshot) Evaluate(req cedar.Request, extra ...types.Entity) Decision {
	if s == nil {
		return Decision{Reason: ReasonNoSnapshot}
	}
	if duplicateUID(extra) {
		return Decision{Reason: ReasonInvalidRequest, Version: s.label,
			Errors: []EvalError{{Kind: ErrorDuplicateEntity}}}
	}
	entities := s.entityView(extra)
	ix := s.current().ix
	c := ix.lookup(req, s.entities, entities, extra)
	defer ix.release(c)
	return s.authorize(c, entities, req)
}

// evaluateAll is Evaluate without the index (for equivalence tests).
func (s *Snapshot) evaluateAll(req cedar.Request, extra ...types.Entity) Decision {
	ix := s.current().ix
	c := ix.scan()
	defer ix.release(c)
	return s.authorize(c, s.entityView(extra), req)
}

// entityView is IAM's entity data with the request's extra entities laid over.
func (s *Snapshot) entityView(extra []types.Entity) types.EntityGetter {
	if len(extra) > 0 {
		return newOverlay(s.entities, extra)
	}
	return s.entities
}

// authorize decides the candidates: the scope-only ones here, the rest
// with cedar.Authorize, merged as one scan over all of them would be.
func (s *Snapshot) authorize(c *candidates, entities types.EntityGetter, req cedar.Request) Decision {
	c.split(&req, entities)
	ok, diag := cedar.Deny, cedar.Diagnostic{}
	if len(c.rest) > 0 {
		ok, diag = cedar.Authorize(c, entities, req)
	}
	ok, determining := c.merge(ok, diag.Reasons)
	d := Decision{Version: s.label, Errors: c.evalErrors(diag.Errors, s.forbid)}
	var erroredForbids []string
	for _, e := range d.Errors {
		if e.Forbid {
			erroredForbids = append(erroredForbids, e.PolicyID)
		}
	}
	if ok == cedar.Deny || erroredForbids == nil {
		d.Determining = determining
	}
	switch {
	case erroredForbids != nil:
		d.Reason = ReasonForbidError
		d.Determining = append(d.Determining, erroredForbids...)
	case ok == cedar.Allow:
		d.Allow, d.Reason = true, ReasonPermit
	case len(determining) > 0:
		d.Reason = ReasonForbid
	default:
		d.Reason = ReasonNoPermit
	}
	d.Exceptions = s.tickets(d.Determining)
	return d
}

// forbid reports whether the policy id is a forbid; an unknown one counts
// as one, to fail closed.
func (s *Snapshot) forbid(id cedar.PolicyID) bool { return s.byID[string(id)].forbid() }

// tickets returns the exception tickets among the given policies.
func (s *Snapshot) tickets(ids []string) []string {
	var out []string
	for _, id := range ids {
		if e := s.byID[id]; e != nil && e.meta.Exception != nil {
			x := e.meta.Exception
			out = append(out, x.Ticket)
		}
	}
	return out
}

func duplicateUID(extra []types.Entity) bool {
	for i := 1; i < len(extra); i++ {
		for j := 0; j < i; j++ {
			if extra[i].UID == extra[j].UID {
				return true
			}
		}
	}
	return false
}
