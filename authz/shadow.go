package authz

import (
	"errors"
	"log/slog"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/policy"
)

// shadow evaluates every request a second time against candidate
// policies. Its answer is never acted on: a disagreement with the
// enforced policies (one allows, the other denies) is counted in
// tollgate_shadow_disagreements_total{enforced,shadow,action} and the
// decision line gains a "shadow" group with the shadow's outcome, code,
// determining policies and version. A shadow that fails, even by
// panicking, changes nothing.
type shadow struct {
	policies      Policies
	disagreements *prometheus.CounterVec
}

func newShadow(p Policies, reg prometheus.Registerer) (*shadow, error) {
	if p == nil {
		return nil, nil
	}
	s := &shadow{policies: p, disagreements: prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "tollgate", Subsystem: "shadow", Name: "disagreements_total",
		Help: "Requests the shadow policy set would have decided differently, by enforced and shadow outcome (allow or deny) and manifest action.",
	}, []string{"enforced", "shadow", "action"})}
	if reg != nil {
		if err := reg.Register(s.disagreements); err != nil {
			return nil, errors.Join(errors.New("register tollgate_shadow_disagreements_total"), err)
		}
	}
	return s, nil
}

// shadowLog is what the decision log records of a shadow that disagreed
// (the first disagreement of an MCP batch).
type shadowLog struct {
	allow    bool
	code     string
	policies []string
	version  string
}

// attrs returns the "shadow" group, or nothing when the shadow agreed.
func (l *shadowLog) attrs() []slog.Attr {
	if l == nil {
		return nil
	}
	return []slog.Attr{slog.Group("shadow",
		slog.String("outcome", allowWord(l.allow)),
		slog.String("code", l.code),
		slog.Any("policies", nonNil(l.policies)),
		slog.String("policy_version", l.version),
	)}
}

// shadowEvaluate asks the shadow about req, with the same overlay entities, and records a disagreement with
// the enforced decision.
func (e *Engine) shadowEvaluate(req cedar.Request, extra []types.Entity, st *checkState, enforced *policy.Decision) {
	if e.shadow == nil {
		return
	}
	defer func() { _ = recover() }() // the shadow's failure is not the request's
	sd := e.shadow.policies.Evaluate(req, extra...)
	ea, sa := permits(enforced), permits(&sd)
	if ea == sa {
		return
	}
	e.shadow.disagreements.WithLabelValues(allowWord(ea), allowWord(sa), e.actionLabel(st.action)).Inc()
	if st.shadow == nil {
		st.shadow = &shadowLog{allow: sa, code: string(sd.Reason), policies: sd.Determining, version: sd.Version}
	}
}

// permits reports whether pd is an allow by applyPolicy's rule: an
// explicit permit with no erroring forbid.
func permits(pd *policy.Decision) bool {
	return pd.Allow && pd.Reason == policy.ReasonPermit && !forbidErrored(pd.Errors)
}

func allowWord(allow bool) string {
	if allow {
		return "allow"
	}
	return "deny"
}
