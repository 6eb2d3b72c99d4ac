package identity

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// sourceNone labels verifications where no credential was presented.
const sourceNone = "none"

var (
	allSources = []string{string(SourceX509), string(SourcePrincipal), string(SourceXFCC), string(SourceJWT), sourceNone}
	allReasons = []Reason{
		ReasonMissing, ReasonMalformed, ReasonUntrustedDomain, ReasonBadSignature,
		ReasonExpired, ReasonNotYetValid, ReasonWrongAudience, ReasonUnsupportedAlg,
		ReasonIncompleteChain, ReasonUntrustedHop, ReasonNotSVID, ReasonInternal,
	}
)

// metrics holds the tollgate_identity_* collectors. Every label value comes
// from a fixed set; no SPIFFE ID or credential value is ever a label.
type metrics struct {
	verifications *prometheus.CounterVec // source, result
	failures      *prometheus.CounterVec // source, reason
	cache         *prometheus.CounterVec // cache, result
	ok            map[string]prometheus.Counter
	hits, misses  [numCacheKinds]prometheus.Counter // indexed by cacheKind
	xfccIgnore    *prometheus.CounterVec            // reason
}

// Reasons an x-forwarded-client-cert header was ignored.
const (
	xfccDisabled     = "disabled"
	xfccUntrustedHop = "untrusted_hop"
)

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		verifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "tollgate", Subsystem: "identity", Name: "verifications_total",
			Help: "Identity verifications by source (none when no credential) and result (ok or error).",
		}, []string{"source", "result"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "tollgate", Subsystem: "identity", Name: "failures_total",
			Help: "Identity verification failures by source and bounded reason.",
		}, []string{"source", "reason"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "tollgate", Subsystem: "identity", Name: "cache_total",
			Help: "Verification cache lookups by cache (x509 or jwt) and result (hit or miss).",
		}, []string{"cache", "result"}),
		xfccIgnore: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "tollgate", Subsystem: "identity", Name: "xfcc_ignored_total",
			Help: "x-forwarded-client-cert headers ignored, by reason (disabled, or untrusted_hop: not sent by a trusted proxy).",
		}, []string{"reason"}),
		ok: map[string]prometheus.Counter{},
	}
	m.predeclare()
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.verifications, m.failures, m.cache, m.xfccIgnore} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("identity: register metrics: %w", err)
		}
	}
	return m, nil
}

// predeclare creates every label combination so series exist at zero and
// the hot path needs no label lookups.
func (m *metrics) predeclare() {
	for _, s := range allSources {
		m.ok[s] = m.verifications.WithLabelValues(s, "ok")
		m.verifications.WithLabelValues(s, "error")
		for _, r := range allReasons {
			m.failures.WithLabelValues(s, string(r))
		}
	}
	m.xfccIgnore.WithLabelValues(xfccDisabled)
	m.xfccIgnore.WithLabelValues(xfccUntrustedHop)
	for k, name := range []string{"x509", "jwt", "xfcc"} {
		m.hits[k] = m.cache.WithLabelValues(name, "hit")
		m.misses[k] = m.cache.WithLabelValues(name, "miss")
	}
}

func (m *metrics) success(src Source) { m.ok[string(src)].Inc() }

func (m *metrics) failure(e *Error) {
	src := string(e.Source)
	if src == "" {
		src = sourceNone
	}
	m.verifications.WithLabelValues(src, "error").Inc()
	m.failures.WithLabelValues(src, string(e.Reason)).Inc()
}

func (m *metrics) cacheResult(k cacheKind, hit bool) {
	if hit {
		m.hits[k].Inc()
		return
	}
	m.misses[k].Inc()
}

func (m *metrics) xfccIgnored(reason string) { m.xfccIgnore.WithLabelValues(reason).Inc() }
