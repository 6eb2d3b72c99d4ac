package authz

import (
	"context"
	"errors"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity"
)

// SourceAuthZEN is the identity source of a Query's subject: a SPIFFE ID
// asserted by an AuthZEN enforcement point, not verified by Tollgate.
const SourceAuthZEN identity.Source = "authzen"

// Query is one access evaluation asked by an enforcement point that is not
// a proxy (the AuthZEN API): the subject, action, resource and context
// are the enforcement point's assertions, mapped onto the same Cedar
// request types the manifests produce (see QueryMapping in doc.go).
type Query struct {
	// Caller is the enforcement point that asked, verified by the adapter
	// (its X.509-SVID). Required.
	Caller spiffeid.ID
	// Subjects, when not empty, are the only subjects Caller may assert
	// (authzen.allowed_callers[].subjects); empty means any subject of
	// the accepted trust domains.
	Subjects []identity.IDPattern
	Subject  QueryEntity
	Action   QueryAction
	Resource QueryEntity
	// Context holds JSON values as encoding/json decodes them with
	// UseNumber: string, bool, json.Number, []any, map[string]any, nil.
	Context map[string]any
	// Time is when the query was received; zero means now.
	Time time.Time
	// TraceParent is the request's W3C traceparent header (repeated
	// headers joined with ","), logged as trace_id and parent_id when it
	// is a strict version 00 value.
	TraceParent string
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
	d.settle(Errored("internal error: no decision"))
	st := &checkState{}
	defer func() { e.finish(ctx, nil, &d, st, start, recover()) }()
	e.decideQuery(q, &d, st)
	return d
}

func (e *Engine) decideQuery(q *Query, d *Decision, st *checkState) {
	if q == nil || q.Caller.IsZero() {
		d.settle(Denied(CodeBadRequest, "no query, or no verified enforcement point"))
		return
	}
	st.pep, st.traceparent = q.Caller, q.TraceParent
	now := q.Time
	if now.IsZero() {
		now = e.clock()
	}
	if !e.querySubject(q, d, st) {
		return
	}
	in, err := e.mapQuery(q, d, st, now)
	if errors.Is(err, errToolDrift) {
		d.settle(Denied(CodeMCPToolDrift, err.Error()))
		return
	}
	if err != nil {
		d.settle(Denied(CodeBadQuery, err.Error()))
		return
	}
	applyPolicy(d, st, e.evaluate(in, st, nil))
}

// mapQuery builds the Cedar request of q, filling d's identity, action
// and resource as it goes so the decision line names what was asked.
func (e *Engine) mapQuery(q *Query, d *Decision, st *checkState, now time.Time) (cedarInput, error) {
	qs := e.queryShape()
	action, label, err := qs.action(q.Action.Name)
	if err != nil {
		return cedarInput{}, err
	}
	st.action, d.Action = label, uidString(action)
	res, err := qs.resource(q.Resource)
	if err == nil {
		err = qs.checkPair(action, label, res)
	}
	if err == nil {
		err = qs.checkResourceID(action, res)
	}
	if err != nil {
		return cedarInput{}, err
	}
	d.Resource = uidString(res)
	rec, err := qs.context(q, now)
	if err == nil {
		err = qs.checkMCP(action, res, rec, &e.drift)
	}
	if err != nil {
		return cedarInput{}, err
	}
	return assembleFor(e.mapper.principals.get(d.Identity), action, res, rec), nil
}
