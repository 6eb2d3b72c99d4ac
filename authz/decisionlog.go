package authz

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/netip"
	"slices"
	"sync"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/internal/jsonw"
	"github.com/tollgate-authz/tollgate/internal/traceparent"
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
	bp := e.lineAttrs.get()
	defer e.lineAttrs.put(bp)
	out := append(*bp,
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
	)
	out = append(e.appendContextAttrs(out, st.context), st.mcp.attrs()...)
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
	*bp = out                                          // returned to the pool grown, if it had to grow
	if h, ok := e.log.Handler().(*jsonw.Handler); ok { // tollgate serve's
		_ = h.LogAttrs(slog.LevelInfo, "decision", out...)
		return
	}
	e.log.LogAttrs(ctx, slog.LevelInfo, "decision", out...) // slog.Record copies them
}

// attrPool holds the attribute lists of decision lines: about 30
// attributes, 1.4 KiB, which would otherwise be allocated, and grown once,
// for every Check. Handlers do not keep the list: jsonw.Handler writes
// the line before it returns, and slog.Record copies what it holds.
type attrPool struct{ p sync.Pool }

// lineAttrsCap fits a decision line with every optional attribute.
const lineAttrsCap = 40

func (a *attrPool) get() *[]slog.Attr {
	if bp, ok := a.p.Get().(*[]slog.Attr); ok {
		return bp
	}
	l := make([]slog.Attr, 0, lineAttrsCap)
	return &l
}

// put returns a list, emptied so that it holds no decision's values.
func (a *attrPool) put(bp *[]slog.Attr) {
	clear(*bp)
	*bp = (*bp)[:0]
	a.p.Put(bp)
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

// redactedMCPArgs names the MCP request body's tool arguments, dropped
// from context.mcp.
const redactedMCPArgs = "mcp.arguments"

// appendContextAttrs appends the "context" and "context_redacted" attributes:
// the Cedar context the policies saw, as Cedar JSON (replay reads it back
// with types.Record.UnmarshalJSON; invalid UTF-8 is written as U+FFFD, as
// everywhere in the line), without the values loggedKey refuses and MCP
// tool arguments, whose keys are listed in context_redacted instead. A
// decision made before a Cedar request existed logs an empty context.
func (e *Engine) appendContextAttrs(out []slog.Attr, ctx types.Record) []slog.Attr {
	logged, redacted := e.redactContext(ctx)
	return append(out,
		slog.Any("context", logged),
		slog.Any("context_redacted", redacted),
	)
}

// redactContext returns ctx as the log writes it, without the values the
// decision log must not hold, and names those, sorted. Nothing is copied:
// the encoder skips them (an MCP context would otherwise rebuild and
// re-hash two records per Check just to drop its arguments).
func (e *Engine) redactContext(ctx types.Record) (cedarJSON, []string) {
	redacted := e.redactedKeys(ctx)
	if len(redacted) == 0 { // the common case: log ctx as it is
		return cedarJSON{rec: ctx}, redacted
	}
	return cedarJSON{rec: ctx, skip: e.notLogged}, redacted
}

// notLogged is the encoder's filter of the top-level context keys; under
// "mcp" it drops the arguments (redactedMCPArgs).
func (e *Engine) notLogged(k types.String) bool { return !e.loggedKey(string(k)) }

// redactedKeys names, sorted, the context values the decision log must
// not hold. It allocates only when there are some.
func (e *Engine) redactedKeys(ctx types.Record) []string {
	redacted := []string{}
	for k, v := range ctx.All() {
		switch {
		case !e.loggedKey(string(k)):
			redacted = append(redacted, string(k))
		case k == "mcp":
			if m, ok := v.(types.Record); ok {
				if _, has := m.Get("arguments"); has {
					redacted = append(redacted, redactedMCPArgs)
				}
			}
		}
	}
	slices.Sort(redacted)
	return redacted
}

// loggedKey reports whether the value of context key k may be logged:
// the request attributes the mapper sets, the delegation chain (already on
// the line as subject and delegation), a Txn-Token's txn id and scope,
// context.mcp (its arguments are
// dropped separately) and signals not marked secret. Anything else — JWT
// claims (jwt), the delegated subject's claims (subject), a secret signal,
// a key added later — is withheld and named: the log fails closed.
func (e *Engine) loggedKey(k string) bool {
	switch k {
	case "method", "path", "host", "scheme", "source_address", "time", "tls", "enforcement_point",
		"on_behalf_of", "delegation", "delegation_length", "txn_id", "txn_scope", "mcp":
		return true
	}
	for i := range e.mapper.signals {
		if e.mapper.signals[i].Name == k {
			return !e.mapper.signals[i].Secret
		}
	}
	return false
}

// appendTrace appends the W3C trace context of the decision, for the
// decision log: the deciding MCP message's params._meta.traceparent, else
// the request's (or AuthZEN evaluation's) traceparent header. A value that is not a strict version
// 00 traceparent is left out; nothing is guessed.
func appendTrace(out []slog.Attr, r *Request, st *checkState) []slog.Attr {
	c, ok := traceparent.Parse(st.mcp.traceparent)
	if !ok && r != nil {
		c, ok = traceparent.Parse(r.Headers["traceparent"])
	}
	if !ok && st.traceparent != "" {
		c, ok = traceparent.Parse(st.traceparent)
	}
	if !ok {
		return out
	}
	return append(out, slog.String("trace_id", c.TraceID), slog.String("parent_id", c.ParentID))
}

// appendSource appends the client address when it is an IP address
// without a zone (a zone is free text).
func appendSource(out []slog.Attr, r *Request) []slog.Attr {
	if r == nil || r.SourceAddress == "" {
		return out
	}
	if a, err := netip.ParseAddr(r.SourceAddress); err != nil || a.Zone() != "" {
		return out
	}
	return append(out, slog.String("source_address", r.SourceAddress))
}
