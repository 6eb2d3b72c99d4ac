package authz

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/policy"
)

// checkState carries what the decision log and metrics need beyond the
// Decision itself.
type checkState struct {
	path   string
	action string // manifest action name, for the metric label
	source identity.Source
	// pep is the AuthZEN enforcement point that asked (Evaluate); zero for Check.
	pep spiffeid.ID
	// traceparent is an evaluation's traceparent header (Evaluate).
	traceparent string
	evalErrors  []policy.EvalError
	vals        [8]string
	mcp         mcpLog
	shadow      *shadowLog   // the shadow policies' answer, when it disagreed
	context     types.Record // the Cedar context of the deciding evaluation
	// subjectClaims are the subject token claims marked safe to log.
	subjectClaims map[string]any
}

// Check decides one request. It never panics and never allows a request
// that is missing, malformed, unmatched or not permitted by policy.
func (e *Engine) Check(ctx context.Context, r *Request) (d Decision) {
	start := time.Now()
	d.ID = e.nextID()
	// Start from a named denial: a path that forgot to decide is an
	// internal error, never an allow.
	d.settle(Errored("internal error: no decision"))
	st := &checkState{}
	defer func() { e.finish(ctx, r, &d, st, start, recover()) }()
	e.decide(ctx, r, &d, st)
	return d
}

// finish closes a decision the way every entry point (Check, Evaluate,
// FilterTools) must: a panic becomes an internal-error denial that keeps
// the decision's id (a bug must never turn into an allow; the panic value
// is not logged, it may hold request data), a denial decided before
// evaluation still names the policy version in force, a request body is
// bound by its digest, and the decision is timed, logged and counted.
func (e *Engine) finish(ctx context.Context, r *Request, d *Decision, st *checkState, start time.Time, panicked any) {
	if panicked != nil {
		id, grpc := d.ID, d.GRPC
		*d = Errored("internal error")
		d.ID, d.GRPC = id, grpc
	}
	if d.PolicyVersion == "" {
		d.PolicyVersion = e.policies.Version()
	}
	if r != nil && len(r.Body) > 0 {
		d.BodySHA256 = bodyDigest(r.Body)
	}
	d.Duration = time.Since(start)
	e.record(ctx, r, d, st)
}

// bodyDigest is the hex SHA-256 of a request body.
func bodyDigest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func (e *Engine) decide(ctx context.Context, r *Request, d *Decision, st *checkState) {
	if r == nil {
		d.settle(Denied(CodeBadRequest, "no request"))
		return
	}
	d.GRPC = isGRPC(r.Headers["content-type"])
	id, err := e.identifier.Verify(ctx, r.Credentials)
	if err == nil && id.ID.IsZero() {
		err = &identity.Error{Reason: identity.ReasonInternal, Err: errors.New("verifier returned no identity")}
	}
	if err != nil {
		identityFailed(d, st, err)
		return
	}
	d.Identity, st.source = &id, id.Source
	dl, ok := e.delegate(ctx, r, &id, d, st)
	if !ok {
		return
	}
	if reason := malformed(r); reason != "" {
		d.settle(Denied(CodeBadRequest, reason))
		return
	}
	lk := e.manifest.Load().Lookup(r.Method, r.Path, d.GRPC, r.ProxyNormalizedPath, st.vals[:0])
	if unrouted(d, st, &lk) {
		return
	}
	rt, vals, path := lk.Rule, lk.Vals, lk.Path
	now := r.Time
	if now.IsZero() {
		now = e.clock()
	}
	if rt.MCPRule() != nil {
		e.decideMCPEndpoint(ctx, r, d, st, &mcpCall{id: &id, dl: dl, rt: rt, vals: vals, path: path, now: now})
		return
	}
	st.action, d.Action = rt.Action, uidString(rt.CedarAction())
	in, err := e.mapper.build(r, &id, dl, rt, vals, path, now)
	if err != nil {
		d.settle(Denied(CodeBadSignal, err.Error()))
		return
	}
	d.Resource = uidString(in.resource.UID)
	applyPolicy(d, st, e.evaluate(in, st, dl))
}

// malformed returns why a request's method, host or overrides cannot be
// read as the upstream reads them, or "".
func malformed(r *Request) string {
	switch {
	case !manifest.IsMethodToken(r.Method):
		// Methods are case-sensitive, but ASP.NET Core and Express match
		// them case-insensitively: "delete" reaches their DELETE handler.
		return "the request method is not an upper-case token"
	case !validHost(r.Host):
		return "the request host is not a host and port"
	case overridden(r):
		return "a method or URL override (X-HTTP-Method-Override, _method, X-Original-URL) names another one"
	case spoofsUpstreamHeader(r.Headers):
		return "a header Tollgate sets upstream (x-spiffe-id, x-tollgate-decision-id) is spelled with underscores"
	}
	return ""
}

// unrouted denies a request whose path was refused or that no route
// takes, and reports whether it did.
func unrouted(d *Decision, st *checkState, lk *manifest.Lookup) bool {
	st.path = lk.Path
	switch {
	case lk.BadPath != "":
		d.settle(Denied(CodeBadPath, "malformed request path: "+string(lk.BadPath)))
	case lk.MethodMiss:
		d.settle(Denied(CodeNoRoute, "the route for this path does not declare the method"))
	case lk.Rule == nil:
		d.settle(Denied(CodeNoRoute, "no route matches the request"))
	default:
		return false
	}
	return true
}

// evaluate asks the policies about in, overlaying the principal and
// resource entities (once when the caller asked about itself) and the
// subject the caller acts for, whose parents come from IAM's data; then
// the shadow policies, if any, with the same entities.
func (e *Engine) evaluate(in cedarInput, st *checkState, dl *delegated) policy.Decision {
	return e.evaluateWith(e.policies, in, st, dl)
}

// evaluateWith is evaluate by pol (nil: the Engine's Policies).
func (e *Engine) evaluateWith(pol Policies, in cedarInput, st *checkState, dl *delegated) policy.Decision {
	if pol == nil {
		pol = e.policies
	}
	st.context = in.req.Context
	extra := [3]types.Entity{in.principal}
	n := 1
	if in.resource.UID != in.principal.UID {
		extra[n], n = in.resource, n+1
	}
	if dl != nil && dl.entity.UID != in.principal.UID && dl.entity.UID != in.resource.UID {
		extra[n], n = dl.entity, n+1
	}
	pd := pol.Evaluate(in.req, extra[:n]...)
	e.shadowEvaluate(in.req, extra[:n], st, &pd)
	return pd
}

// isGRPC reports a gRPC request: one of its content types (Envoy joins a
// repeated header with ",") is application/grpc, as grpc-go reads it.
func isGRPC(contentType string) bool {
	const prefix = "application/grpc"
	for ct := range strings.SplitSeq(contentType, ",") {
		ct = strings.TrimLeft(ct, " \t")
		if len(ct) >= len(prefix) && strings.EqualFold(ct[:len(prefix)], prefix) {
			return true
		}
	}
	return false
}

func identityFailed(d *Decision, st *checkState, err error) {
	var ie *identity.Error
	if errors.As(err, &ie) {
		st.source = ie.Source
	}
	code := identityCode(identity.ReasonOf(err))
	if code == CodeIdentityMissing {
		msg := "no identity credential presented"
		if errors.Is(err, identity.ErrPrincipalIgnored) {
			msg = "no verifiable identity credential: the source principal is ignored (identity.trust_source_principal is false)"
		}
		d.settle(Denied(code, msg))
		return
	}
	d.settle(Denied(code, "identity verification failed: "+strings.TrimPrefix(code.String(), "identity_")))
}

// applyPolicy allows only on an explicit, error-free permit.
func applyPolicy(d *Decision, st *checkState, pd policy.Decision) {
	d.Policies, d.PolicyVersion, d.Exceptions = pd.Determining, pd.Version, pd.Exceptions
	st.evalErrors = pd.Errors
	switch {
	case pd.Reason == policy.ReasonNoSnapshot:
		d.settle(Denied(CodeNoSnapshot, "no policy is loaded"))
	case pd.Reason == policy.ReasonStale:
		d.settle(Denied(CodeStalePolicy, "the policy bundle is stale"))
	case pd.Reason == policy.ReasonForbidError || forbidErrored(pd.Errors):
		d.settle(Denied(CodeForbidError, "a forbid policy could not be evaluated"))
	case permits(&pd): // the one allow rule, shared with the shadow comparison
		d.settle(Allowed(d.Identity))
	case !pd.Allow && pd.Reason == policy.ReasonForbid:
		d.settle(Denied(CodeForbid, "denied by policy"))
	case !pd.Allow && pd.Reason == policy.ReasonNoPermit:
		d.settle(Denied(CodeNoPermit, "no policy allows the request"))
	case !pd.Allow && pd.Reason == policy.ReasonInvalidRequest:
		d.settle(Denied(CodeInvalidRequest, "the request could not be evaluated"))
	default:
		d.settle(Errored("inconsistent policy decision"))
	}
}

func forbidErrored(errs []policy.EvalError) bool {
	for _, e := range errs {
		if e.Forbid {
			return true
		}
	}
	return false
}

// uidString is types.EntityUID.String with a fast path: an ID of printable
// ASCII other than quotes and backslash needs no escaping, and cedar-go's
// escaper allocates per character.
func uidString(u types.EntityUID) string {
	for i := 0; i < len(u.ID); i++ {
		if c := u.ID[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '\'' {
			return u.String()
		}
	}
	return string(u.Type) + "::\"" + string(u.ID) + "\""
}
