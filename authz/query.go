package authz

import (
	"context"
	"fmt"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity"
)

// SourceAuthZEN is the identity source of a Query's subject: a SPIFFE ID
// asserted by an AuthZEN enforcement point, not verified by Tollgate.
const SourceAuthZEN identity.Source = "authzen"

// CodeBadQuery is the decision code of a Query that does not fit the
// requests the manifests produce (unknown type, action or context key).
const CodeBadQuery = "bad_query"

// Query is one access evaluation asked by an enforcement point that is not
// a proxy (the AuthZEN API): the subject, action, resource and context
// are the enforcement point's assertions, mapped onto the same Cedar
// request types the manifests produce (see QueryMapping in doc.go).
type Query struct {
	// Caller is the enforcement point that asked, verified by the adapter
	// (its X.509-SVID). Required.
	Caller   spiffeid.ID
	Subject  QueryEntity
	Action   QueryAction
	Resource QueryEntity
	// Context holds JSON values as encoding/json decodes them with
	// UseNumber: string, bool, json.Number, []any, map[string]any, nil.
	Context map[string]any
	// Time is when the query was received; zero means now.
	Time time.Time
}

// QueryEntity is an AuthZEN subject or resource.
type QueryEntity struct {
	Type, ID   string
	Properties map[string]any
}

// QueryAction is an AuthZEN action.
type QueryAction struct {
	Name       string
	Properties map[string]any
}

// Evaluate decides a Query with the same policies, fail-closed rules,
// decision log and metrics as Check. It never panics and never allows a
// query that does not map or that policy does not permit.
func (e *Engine) Evaluate(ctx context.Context, q *Query) (d Decision) {
	start := time.Now()
	d.ID = e.nextID()
	setOutcome(&d, Unavailable, CodeInternal, "internal error: no decision")
	st := &checkState{}
	defer func() {
		if p := recover(); p != nil {
			d = Decision{ID: d.ID, Outcome: Unavailable, Code: CodeInternal, Reason: "internal error"}
		}
		if d.PolicyVersion == "" {
			d.PolicyVersion = e.policyVersion()
		}
		d.Duration = time.Since(start)
		e.record(ctx, nil, &d, st)
	}()
	e.decideQuery(q, &d, st)
	return d
}

func (e *Engine) decideQuery(q *Query, d *Decision, st *checkState) {
	if q == nil || q.Caller.IsZero() {
		setOutcome(d, BadRequest, CodeBadRequest, "no query, or no verified enforcement point")
		return
	}
	st.pep = q.Caller
	now := q.Time
	if now.IsZero() {
		now = e.clock()
	}
	in, err := e.mapQuery(q, d, st, now)
	if err != nil {
		setOutcome(d, BadRequest, CodeBadQuery, err.Error())
		return
	}
	applyPolicy(d, st, e.evaluate(in, st, nil))
}

// mapQuery builds the Cedar request of q, filling d's identity, action
// and resource as it goes so the decision line names what was asked.
func (e *Engine) mapQuery(q *Query, d *Decision, st *checkState, now time.Time) (cedarInput, error) {
	qs := e.queryShape()
	if q.Subject.Type != string(WorkloadType) {
		return cedarInput{}, fmt.Errorf("subject.type %.80q: the principal of every request is a %s (a SPIFFE ID)", q.Subject.Type, WorkloadType)
	}
	id, err := spiffeid.FromString(q.Subject.ID)
	if err != nil {
		return cedarInput{}, fmt.Errorf("subject.id: not a SPIFFE ID: %v", err)
	}
	d.Identity = &identity.Identity{ID: id, Source: SourceAuthZEN}
	st.source = SourceAuthZEN
	action, label, err := qs.action(q.Action.Name)
	if err != nil {
		return cedarInput{}, err
	}
	st.action, d.Action = label, uidString(action)
	res, err := qs.resource(q.Resource)
	if err != nil {
		return cedarInput{}, err
	}
	d.Resource = uidString(res)
	rec, err := qs.context(q, now)
	if err == nil {
		err = qs.checkMCP(action, res, rec)
	}
	if err != nil {
		return cedarInput{}, err
	}
	return assembleFor(e.mapper.principals.get(d.Identity), action, res, rec), nil
}
