package authz

import (
	"errors"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/policy"
)

// metrics holds the decision metrics. Every label is bounded: decision is
// an Outcome, action one of the manifest's actions (or "none"), code a
// fixed set, trust_domain that of a verified identity (or "none").
type metrics struct {
	decisions *prometheus.CounterVec
	duration  prometheus.Histogram
	children  sync.Map // labelKey -> prometheus.Counter
}

type labelKey struct{ decision, action, code, trustDomain string }

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "tollgate",
			Name:      "decisions_total",
			Help:      "Authorization decisions by outcome, manifest action, code and verified trust domain.",
		}, []string{"decision", "action", "code", "trust_domain"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "tollgate",
			Name:      "check_duration_seconds",
			Help:      "Time to decide one request, identity verification included.",
			Buckets: []float64{50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3,
				10e-3, 25e-3, 50e-3, 100e-3, 250e-3, 500e-3, 1},
		}),
	}
	if reg == nil {
		return m, nil
	}
	if err := reg.Register(m.decisions); err != nil {
		return nil, errors.Join(errors.New("register tollgate_decisions_total"), err)
	}
	if err := reg.Register(m.duration); err != nil {
		reg.Unregister(m.decisions)
		return nil, errors.Join(errors.New("register tollgate_check_duration_seconds"), err)
	}
	return m, nil
}

// unregister undoes newMetrics' registration (a failed NewEngine).
func (m *metrics) unregister(reg prometheus.Registerer) {
	if reg != nil {
		reg.Unregister(m.decisions)
		reg.Unregister(m.duration)
	}
}

// observe counts one decision; the label children are cached so the hot
// path does not allocate.
func (m *metrics) observe(k labelKey, seconds float64) {
	m.duration.Observe(seconds)
	if c, ok := m.children.Load(k); ok {
		c.(prometheus.Counter).Inc()
		return
	}
	c := m.decisions.WithLabelValues(k.decision, k.action, k.code, k.trustDomain)
	m.children.Store(k, c)
	c.Inc()
}

// boundedCode keeps the code label within the documented set.
func boundedCode(code string) string {
	switch code {
	case string(policy.ReasonPermit), string(policy.ReasonForbid), string(policy.ReasonNoPermit),
		string(policy.ReasonForbidError), string(policy.ReasonNoSnapshot), string(policy.ReasonInvalidRequest),
		string(policy.ReasonStale), CodeBadRequest, CodeBadPath, CodeBadSignal, CodeNoRoute, CodeInternal, CodeBadQuery:
		return code
	}
	if isMCPCode(code) {
		return code
	}
	if r, ok := strings.CutPrefix(code, "delegation_"); ok && subject.ReasonOf(&subject.Error{Reason: subject.Reason(r)}) == subject.Reason(r) {
		return code
	}
	if r, ok := strings.CutPrefix(code, "identity_"); ok && identity.Reason(r) == identityReason(identity.Reason(r)) {
		return code
	}
	return CodeInternal
}
