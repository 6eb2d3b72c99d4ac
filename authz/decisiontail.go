package authz

// DecisionTail receives a summary of every decision, from the place the
// decision line is written (the admin page's live tail). ObserveDecision
// runs on the Check path: it must be cheap and must not block.
type DecisionTail interface {
	ObserveDecision(DecisionSummary)
}

// DecisionSummary is what the decision line says about one decision,
// minus the Cedar context: it never holds a header, credential, query
// string, body, JWT claim or secret signal.
type DecisionSummary struct {
	ID            string
	Allowed       bool
	Outcome       string // Outcome.String()
	Code          string
	Reason        string
	Principal     string // SPIFFE ID; empty when identity failed
	Action        string // Cedar action UID; empty when unmatched
	ActionLabel   string // the bounded metric label: a manifest action or "none"
	Resource      string // Cedar resource UID
	Method        string // as logged: a token or "invalid"
	Path          string // the normalised path, no query
	Policies      []string
	PolicyVersion string
	Exceptions    []string
}

// tail hands the decision to the configured DecisionTail.
func (e *Engine) tail(d *Decision, st *checkState, r *Request) {
	s := DecisionSummary{
		ID: d.ID, Allowed: d.Allowed(), Outcome: d.Outcome.String(), Code: d.Code, Reason: d.Reason,
		Action: d.Action, ActionLabel: e.actionLabel(st.action), Resource: d.Resource, Path: st.path,
		Policies: d.Policies, PolicyVersion: d.PolicyVersion, Exceptions: d.Exceptions,
	}
	if d.Identity != nil {
		s.Principal = d.Identity.ID.String()
	}
	if r != nil {
		s.Method = logMethod(r.Method)
	}
	e.decisionTail.ObserveDecision(s)
}
