package authz

import (
	"time"

	"github.com/tollgate-authz/tollgate/identity"
)

// Outcome is the kind of answer an adapter must give.
type Outcome int

const (
	// Unknown is the zero Outcome: no decision was made. Adapters answer it
	// as an internal-error denial, so a forgotten assignment never allows.
	Unknown Outcome = iota
	// Allow lets the request through.
	Allow
	// Unauthenticated: no verified identity (HTTP 401).
	Unauthenticated
	// Forbidden: a verified caller that policy does not allow (HTTP 403).
	Forbidden
	// BadRequest: the request could not be understood (malformed body etc.);
	// still a denial (HTTP 400 or a JSON-RPC error).
	BadRequest
	// Unavailable: Tollgate cannot decide (no or stale policy, internal
	// error) and fails closed. The client sees 403 with the code: a 5xx
	// from an authorization service can be read as "allow" by a proxy
	// set to fail open.
	Unavailable
)

// String returns the metric-safe name of the outcome.
func (o Outcome) String() string {
	switch o {
	case Allow:
		return "allow"
	case Unauthenticated:
		return "unauthenticated"
	case Forbidden:
		return "forbidden"
	case BadRequest:
		return "bad_request"
	case Unavailable:
		return "unavailable"
	}
	return "unknown"
}

// Decision is the result of Engine.Check.
type Decision struct {
	ID      string // unique decision ID, echoed to the client and logs
	Outcome Outcome
	// Code is the bounded decision code (permit, forbid, no_permit,
	// forbid_error, no_route, identity_expired, ...); its String is the
	// metric label.
	Code Code
	// Detail is a short human-readable explanation, safe to show to the
	// client (no secrets, no policy text). It is free text; the bounded
	// label is Code. (The decision log and the client's JSON body keep
	// the field name "reason", per schema_version 1.)
	Detail string

	Identity *identity.Identity // nil when identity failed
	Action   string             // Cedar action ID, empty when unmatched
	Resource string             // Cedar resource UID, e.g. Order::"42"

	// Subject is the Cedar UID of the party the caller acts for, e.g.
	// User::"alice", from a verified and bound subject token; empty
	// without one.
	Subject string
	// Delegation is the token's act chain, outermost (the caller) first;
	// for a Txn-Token, its requesting workloads (req_wl), latest first.
	Delegation []string
	// Txn is a Txn-Token's transaction id (txn); the token itself is
	// never kept.
	Txn string

	Policies      []string // determining policy @ids
	PolicyVersion string
	Exceptions    []string // exception tickets among the determining policies

	// MCP carries the JSON-RPC request id when the request was an MCP call,
	// so the adapter can answer with a JSON-RPC error.
	MCP *MCPInfo
	// GRPC reports that the request was a gRPC call (content-type
	// application/grpc), so a denial is answered with grpc-status.
	GRPC bool

	// BodySHA256 is the hex SHA-256 of the exact request body that was
	// decided, "" when the request had none: it binds the decision to
	// the content (decision log, Envoy dynamic metadata).
	BodySHA256 string

	Duration time.Duration
}

// MCPInfo is what an adapter needs to build a JSON-RPC error answer.
type MCPInfo struct {
	// ID is the raw JSON of the request id (or of the first denied batch
	// element's id); "null" when absent.
	ID string
	// Batch is true when the body was a JSON-RPC batch.
	Batch bool
	// IDs are the raw JSON ids of the batch's requests that expect an
	// answer (not notifications or responses), in order.
	IDs []string
	// RPCCode is the JSON-RPC error code of a denial: -32001 for policy
	// and manifest denials, -32700/-32600/-32602 for rejected bodies.
	RPCCode int
	// NoAnswer is set when nothing in the body expects a JSON-RPC answer
	// (notifications and responses only): a denial is then only the
	// HTTP or gRPC status, with no JSON-RPC error body.
	NoAnswer bool
}

// JSONRPC reports whether a denial is answered with a JSON-RPC error body.
func (m *MCPInfo) JSONRPC() bool { return m != nil && !m.NoAnswer }

// Allowed reports whether the request may proceed: an allow always names
// the verified identity it was decided for, so one without is a denial.
func (d *Decision) Allowed() bool { return d.Outcome == Allow && d.Identity != nil }

// Allowed is the decision for a request a policy permitted, for the
// verified identity id. Without an identity it is an internal-error
// denial: every allow names the identity it was decided for.
func Allowed(id *identity.Identity) Decision {
	if id == nil || id.ID.IsZero() {
		return Errored("internal error: allow without a verified identity")
	}
	return Decision{Outcome: Allow, Code: CodePermit, Detail: "allowed by policy", Identity: id}
}

// Listed is the decision for a tools/list result filtered for the verified
// identity id (ext_proc): the response passes, with only the tools the
// caller could call. Without an identity it is an internal-error denial.
func Listed(id *identity.Identity, detail string) Decision {
	if id == nil || id.ID.IsZero() {
		return Errored("internal error: listing without a verified identity")
	}
	return Decision{Outcome: Allow, Code: CodeMCPListing, Detail: detail, Identity: id}
}

// Denied is a denial with code, whose Outcome is the code's. A code that
// is not a denial (CodePermit) makes an internal-error denial instead.
func Denied(code Code, detail string) Decision {
	if code.Outcome() == Allow {
		return Errored("internal error: " + code.String() + " is not a denial")
	}
	return Decision{Outcome: code.Outcome(), Code: code, Detail: detail}
}

// Errored is the denial of a request Tollgate could not decide.
func Errored(detail string) Decision {
	return Decision{Outcome: Unavailable, Code: CodeInternal, Detail: detail}
}

// settle takes v's verdict (outcome, code, explanation, and an allow's
// identity), keeping what d already records about the request.
func (d *Decision) settle(v Decision) {
	d.Outcome, d.Code, d.Detail = v.Outcome, v.Code, v.Detail
	if v.Identity != nil {
		d.Identity = v.Identity
	}
}
