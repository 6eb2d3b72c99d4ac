package authz

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/internal/jsonw"
	"github.com/tollgate-authz/tollgate/policy"
)

// DecisionLogSchemaVersion is the version of the decision line's schema
// (docs/decision-log.md), written as "schema_version" on every line. It
// changes when a field is removed or changes meaning; added fields do not
// change it.
const DecisionLogSchemaVersion = 1

// record writes the decision log line and the metrics for one Check.
func (e *Engine) record(ctx context.Context, r *Request, d *Decision, st *checkState) {
	td := "none"
	switch {
	case !st.pep.IsZero():
		// An AuthZEN subject is asserted, so its trust domain is not
		// bounded: the verified enforcement point's is.
		td = st.pep.TrustDomain().Name()
	case d.Identity != nil:
		td = d.Identity.ID.TrustDomain().Name()
	}
	e.metrics.observe(labelKey{d.Outcome, d.Code, e.actionLabel(st.action), td}, d.Duration.Seconds())
	if e.log.Enabled(ctx, slog.LevelInfo) {
		e.logDecision(ctx, r, d, st)
	}
	if e.decisionTail != nil {
		e.tail(d, st, r)
	}
}

// actionLabel bounds a manifest action for a metric label: one of the
// manifest's actions, the MCP tool label, or "none".
func (e *Engine) actionLabel(action string) string {
	if action == manifest.MCPToolLabel || action != "" && e.manifest.Load().HasAction(action) {
		return action
	}
	return "none"
}

// evalErrorLog is one policy evaluation error in the decision log: the
// policy and a bounded kind, never cedar-go's message, which embeds the
// request values (MCP arguments, entity ids) it failed on.
type evalErrorLog struct {
	Policy string `json:"policy"`
	Forbid bool   `json:"forbid"`
	Kind   string `json:"kind"`
}

// logDecision writes the one "decision" line. It never logs headers,
// credentials, the query string, the body or JWT claim values: the path
// is the normalised one, which has no query.
func (e *Engine) logDecision(ctx context.Context, r *Request, d *Decision, st *checkState) {
	var principal, method, host string
	if d.Identity != nil {
		principal = d.Identity.ID.String()
	}
	if r != nil {
		method = logMethod(r.Method)
		host = logHost(r.Host)
	}
	attrs := [...]slog.Attr{
		slog.Int("schema_version", DecisionLogSchemaVersion),
		slog.String("decision_id", d.ID),
		slog.String("outcome", d.Outcome.String()),
		slog.String("code", d.Code.String()),
		slog.String("reason", d.Detail),
		slog.String("principal", principal),
		slog.String("identity_source", string(st.source)),
		slog.String("action", d.Action),
		slog.String("resource", d.Resource),
		slog.String("subject", d.Subject),
		slog.Any("delegation", nonNil(d.Delegation)),
		slog.String("txn", d.Txn),
		slog.String("method", method),
		slog.String("path", st.path),
		slog.String("host", host),
		slog.Any("policies", nonNil(d.Policies)),
		slog.String("policy_version", d.PolicyVersion),
		slog.Any("exceptions", nonNil(d.Exceptions)),
		slog.Any("eval_errors", evalErrors(st.evalErrors)),
		slog.Int64("latency_us", d.Duration.Microseconds()),
	}
	out := append(append(attrs[:], e.contextAttrs(st.context)...), st.mcp.attrs()...)
	out = appendSource(appendTrace(out, r, st), r)
	if !st.pep.IsZero() {
		out = append(out, slog.String("enforcement_point", st.pep.String()))
	}
	if d.BodySHA256 != "" {
		out = append(out, slog.String("body_sha256", d.BodySHA256))
	}
	if st.subjectClaims != nil {
		// Only the claims marked safe to log (delegation.log_claims).
		out = append(out, slog.Any("subject_claims", st.subjectClaims))
	}
	out = append(out, st.shadow.attrs()...)
	if h, ok := e.log.Handler().(*jsonw.Handler); ok { // tollgate serve's
		_ = h.LogAttrs(slog.LevelInfo, "decision", out...)
		return
	}
	e.log.LogAttrs(ctx, slog.LevelInfo, "decision", out...)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// evalErrorLogs are a decision's evaluation errors in the log; the usual
// empty list is written without encoding/json.
type evalErrorLogs []evalErrorLog

var _ jsonw.Appender = evalErrorLogs(nil)

// AppendJSON implements jsonw.Appender.
func (l evalErrorLogs) AppendJSON(b []byte) []byte {
	if len(l) == 0 {
		return append(b, '[', ']')
	}
	j, err := json.Marshal([]evalErrorLog(l))
	if err != nil {
		return append(b, '[', ']')
	}
	return append(b, j...)
}

func evalErrors(errs []policy.EvalError) evalErrorLogs {
	out := make(evalErrorLogs, len(errs))
	for i, e := range errs {
		out[i] = evalErrorLog{Policy: e.PolicyID, Forbid: e.Forbid, Kind: string(e.Kind)}
	}
	return out
}

// logMethod logs a method only when it is a plain token.
func logMethod(m string) string {
	if !manifest.IsMethodToken(m) {
		return "invalid"
	}
	return m
}

// logHost bounds the logged host; it is client-supplied.
func logHost(h string) string {
	h = normalizeHost(h)
	if len(h) > 255 {
		return h[:255]
	}
	return h
}
