package decisionlog

import (
	"encoding/json"
	"time"

	"github.com/tollgate-authz/tollgate/policy"
)

// SchemaVersion is the decision line schema this package reads; it is
// authz.DecisionLogSchemaVersion (a test holds the two equal).
const SchemaVersion = 1

// Line is one decision line, the fields the offline tools read. Unknown
// keys are ignored: fields are only ever added within a schema version.
type Line struct {
	Time            time.Time       `json:"time"`
	Msg             string          `json:"msg"`
	SchemaVersion   int             `json:"schema_version"`
	DecisionID      string          `json:"decision_id"`
	Outcome         string          `json:"outcome"`
	Code            string          `json:"code"`
	Principal       string          `json:"principal"`
	Action          string          `json:"action"`
	Resource        string          `json:"resource"`
	Subject         string          `json:"subject"`
	Policies        []string        `json:"policies"`
	PolicyVersion   string          `json:"policy_version"`
	Exceptions      []string        `json:"exceptions"`
	EvalErrors      []EvalError     `json:"eval_errors"`
	Context         json.RawMessage `json:"context"`
	ContextRedacted []string        `json:"context_redacted"`

	// File and Number say where the line was read.
	File   string `json:"-"`
	Number int    `json:"-"`
}

// EvalError is one policy that failed with an evaluation error.
type EvalError struct {
	Policy string `json:"policy"`
	Forbid bool   `json:"forbid"`
	Kind   string `json:"kind"`
}

// Allowed reports whether the line records an allow. Any other outcome,
// including an unknown one, is a denial.
func (l *Line) Allowed() bool { return l.Outcome == "allow" }

// PolicyCode reports whether the line's code came from policy evaluation
// (permit, forbid, no_permit, forbid_error): only those replay to a
// comparable answer.
func (l *Line) PolicyCode() bool {
	switch l.Code {
	case string(policy.ReasonPermit), string(policy.ReasonForbid), string(policy.ReasonNoPermit),
		string(policy.ReasonForbidError):
		return true
	}
	return false
}

// Where is "file:line".
func (l *Line) Where() string { return where(l.File, l.Number) }
