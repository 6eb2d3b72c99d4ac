package authz

import (
	"fmt"
	"slices"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity"
)

// Asserter checks a SPIFFE ID that a verified caller asserts (an AuthZEN
// subject) by the rule the Envoy door applies to a proxy's source
// principal: well formed, of an accepted trust domain. identity.Verifier
// implements it; an Engine whose Identifier does not refuses every Query.
type Asserter interface {
	VerifyAsserted(id string, src identity.Source) (identity.Identity, error)
}

var _ Asserter = (*identity.Verifier)(nil)

// querySubject sets d.Identity to the query's subject, or denies: a
// subject that is not a Workload SPIFFE ID is a bad query, one of a
// foreign trust domain the Envoy door's identity_untrusted_domain.
func (e *Engine) querySubject(q *Query, d *Decision, st *checkState) bool {
	st.source = SourceAuthZEN
	if q.Subject.Type != string(WorkloadType) {
		d.settle(Denied(CodeBadQuery, fmt.Sprintf("subject.type %.80q: the principal of every request is a %s (a SPIFFE ID)", q.Subject.Type, WorkloadType)))
		return false
	}
	a, ok := e.identifier.(Asserter)
	if !ok {
		d.settle(Errored("the engine's Identifier cannot check asserted subjects"))
		return false
	}
	id, err := a.VerifyAsserted(q.Subject.ID, SourceAuthZEN)
	switch r := identity.ReasonOf(err); {
	case err == nil:
	case r == identity.ReasonUntrustedDomain:
		d.settle(Denied(identityCode(r), "subject.id: trust domain "+trustDomainOf(q.Subject.ID)+" is not one of identity.trust_domains"))
		return false
	default:
		d.settle(Denied(CodeBadQuery, "subject.id: not a SPIFFE ID: "+parseProblem(q.Subject.ID)))
		return false
	}
	d.Identity = &id
	if len(q.Subjects) > 0 && !slices.ContainsFunc(q.Subjects, func(p identity.IDPattern) bool { return p.Matches(id.ID) }) {
		d.settle(Denied(CodeSubjectNotAllowed, "enforcement point "+q.Caller.String()+
			" may not assert this subject: it matches none of its authzen.allowed_callers[].subjects"))
		return false
	}
	return true
}

// parseProblem is go-spiffe's fixed-text reason s is not a SPIFFE ID.
func parseProblem(s string) string {
	if _, err := spiffeid.FromString(s); err != nil {
		return err.Error()
	}
	return "refused"
}

// trustDomainOf names the trust domain of a SPIFFE ID that parsed.
func trustDomainOf(s string) string {
	id, err := spiffeid.FromString(s)
	if err != nil {
		return "(none)"
	}
	return id.TrustDomain().Name()
}
