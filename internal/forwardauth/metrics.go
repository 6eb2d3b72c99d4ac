package forwardauth

import "github.com/prometheus/client_golang/prometheus"

// Reasons the HTTP mode refuses a check request before it reaches the
// engine (bounded label values).
const (
	refusedUntrustedProxy = CodeUntrustedProxy
	refusedBadForwarded   = "bad_forwarded_request"
)

// httpMetrics counts refusals the decision metrics cannot see, because the
// request never became a decision.
type httpMetrics struct {
	refused *prometheus.CounterVec
}

func newHTTPMetrics(reg prometheus.Registerer) (*httpMetrics, error) {
	m := &httpMetrics{refused: prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "tollgate", Subsystem: "http", Name: "refused_total",
		Help: "HTTP-mode check requests refused before a decision: from an untrusted address, or with a malformed forwarded request.",
	}, []string{"reason"})}
	m.refused.WithLabelValues(refusedUntrustedProxy)
	m.refused.WithLabelValues(refusedBadForwarded)
	if reg != nil {
		if err := reg.Register(m.refused); err != nil {
			return nil, err
		}
	}
	return m, nil
}
