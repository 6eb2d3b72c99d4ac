package authzen

import (
	"github.com/tollgate-authz/tollgate/authz"
)

// Decision is the specification's Decision object.
type Decision struct {
	Decision bool     `json:"decision"`
	Context  *Context `json:"context,omitempty"`
}

// Context is what Tollgate says about a decision: enough for the
// enforcement point's logs and for an administrator to find the decision
// line, never policy text.
type Context struct {
	ID            string   `json:"decision_id"`
	Code          string   `json:"code"`
	Reason        string   `json:"reason"`
	Policies      []string `json:"policies"`
	PolicyVersion string   `json:"policy_version,omitempty"`
	// Error is set when the evaluation failed rather than was denied, in
	// the specification's per-evaluation error form.
	Error *EvalError `json:"error,omitempty"`
}

// EvalError is a per-evaluation error: an HTTP-like status and a message.
type EvalError struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
}

// Evaluations is the Access Evaluations response.
type Evaluations struct {
	Evaluations []Decision `json:"evaluations"`
}

// decision turns an authz.Decision into the specification's shape: only
// an allow with a named identity is true.
func decision(d *authz.Decision) Decision {
	c := &Context{ID: d.ID, Code: d.Code, Reason: d.Reason, Policies: d.Policies, PolicyVersion: d.PolicyVersion}
	if c.Policies == nil {
		c.Policies = []string{}
	}
	switch d.Outcome {
	case authz.BadRequest:
		c.Error = &EvalError{Status: 400, Message: d.Reason}
	case authz.Unavailable, authz.Unknown:
		c.Error = &EvalError{Status: 500, Message: d.Reason}
	}
	return Decision{Decision: d.Allowed(), Context: c}
}

// stop reports whether a batch under sem ends after an answer.
func stop(sem Semantic, allowed bool) bool {
	switch sem {
	case DenyOnFirstDeny:
		return !allowed
	case PermitOnFirstPermit:
		return allowed
	}
	return false
}
