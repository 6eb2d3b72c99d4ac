package server

import (
	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/policy"
)

var _ authz.Policies = (*guardedPolicies)(nil)

// guardedPolicies is the authz.Policies the engine uses: the store, except
// that a stale bundle with on_stale: deny denies every request
// (policy.ReasonStale, never an allow), and decisions an exception
// determined are counted.
type guardedPolicies struct {
	src        *policySource
	denyStale  bool
	exceptions *prometheus.CounterVec
}

func newGuardedPolicies(src *policySource, b *config.PolicyBundle, reg prometheus.Registerer) (*guardedPolicies, error) {
	g := &guardedPolicies{src: src, denyStale: b != nil && b.OnStale != "serve"}
	g.exceptions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "tollgate", Name: "exception_decisions_total",
		Help: "Decisions determined by a governed exception, by decision (allow or deny).",
	}, []string{"decision"})
	g.exceptions.WithLabelValues("allow")
	g.exceptions.WithLabelValues("deny")
	if reg != nil {
		if err := reg.Register(g.exceptions); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// Evaluate implements authz.Policies.
func (g *guardedPolicies) Evaluate(req cedar.Request, extra ...types.Entity) policy.Decision {
	if g.denyStale && g.src.stale() {
		return policy.Decision{Reason: policy.ReasonStale, Version: g.src.store.Version()}
	}
	d := g.src.store.Evaluate(req, extra...)
	if len(d.Exceptions) > 0 {
		decision := "deny"
		if d.Allow {
			decision = "allow"
		}
		g.exceptions.WithLabelValues(decision).Inc()
	}
	return d
}

// Version is the version of the snapshot in force (the engine names it in
// decisions it makes before evaluation).
func (g *guardedPolicies) Version() string { return g.src.store.Version() }
