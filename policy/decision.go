package policy

// Reason is a bounded, metric-safe label for how a decision was reached.
type Reason string

const (
	ReasonPermit      Reason = "permit"       // at least one permit matched, no forbid
	ReasonForbid      Reason = "forbid"       // a forbid matched
	ReasonNoPermit    Reason = "no_permit"    // nothing matched: default deny
	ReasonForbidError Reason = "forbid_error" // a forbid errored during evaluation: fail closed
	ReasonNoSnapshot  Reason = "no_snapshot"  // no policy loaded (or stale): fail closed
	ReasonStale       Reason = "stale_policy" // the policy source is stale and configured to deny
	// ReasonInvalidRequest: the request was ambiguous (e.g. the same extra
	// entity given twice): fail closed.
	ReasonInvalidRequest Reason = "invalid_request"
)

// Decision is the outcome of evaluating one Cedar request against a Snapshot.
type Decision struct {
	Allow  bool
	Reason Reason
	// Determining lists the @id of the policies that determined the decision
	// (the matching forbids on deny, the matching permits on allow).
	Determining []string
	// Errors lists policies that errored during evaluation.
	Errors []EvalError
	// Version is the snapshot version that was used.
	Version string
	// Exceptions lists the exception tickets among the determining policies.
	Exceptions []string
}

// EvalError is one policy that failed during evaluation. It names the
// policy and a bounded error kind, never the error text: cedar-go's
// messages embed request values (arguments, entity ids), and an EvalError
// goes to the decision log.
type EvalError struct {
	PolicyID string
	Forbid   bool
	Kind     ErrorKind
}
