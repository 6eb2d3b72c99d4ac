package bundle

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Fetch results: the only values of the "result" label.
const (
	resultOK          = "ok"
	resultNotModified = "not_modified"
	resultNetwork     = "error_network"
	resultStatus      = "error_status"
	resultRollback    = "error_rollback"
	resultExpired     = "error_expired"
	resultSignature   = "error_signature"
	resultContent     = "error_content"
)

type metrics struct {
	fetches *prometheus.CounterVec
}

// newMetrics creates the Fetcher's metrics and registers them with reg (if
// not nil). The gauges read f live.
func newMetrics(reg prometheus.Registerer, f *Fetcher) (*metrics, error) {
	m := &metrics{fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "tollgate", Subsystem: "bundle", Name: "fetch_total",
		Help: "Policy bundle checks against the server, by result.",
	}, []string{"result"})}
	for _, r := range []string{resultOK, resultNotModified, resultNetwork, resultStatus, resultSignature,
		resultContent, resultRollback, resultExpired} {
		m.fetches.WithLabelValues(r)
	}
	lastSuccess := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "tollgate", Subsystem: "bundle", Name: "last_success_timestamp_seconds",
		Help: "Unix time of the last successful check with the bundle server (0 if none).",
	}, func() float64 {
		t := f.LastSuccess()
		if t.IsZero() {
			return 0
		}
		return float64(t.UnixNano()) / 1e9
	})
	stale := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "tollgate", Subsystem: "bundle", Name: "stale",
		Help: "1 when the bundle in use is past its signed expiry, or the bundle server has not been reached successfully within the staleness window.",
	}, func() float64 {
		if f.Stale() {
			return 1
		}
		return 0
	})
	expires := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "tollgate", Subsystem: "bundle", Name: "expiry_timestamp_seconds",
		Help: "Unix time at which the bundle in use expires (its signed \"expires\"; 0 if none).",
	}, func() float64 {
		t := f.Expires()
		if t.IsZero() {
			return 0
		}
		return float64(t.Unix())
	})
	if reg == nil {
		return m, nil
	}
	cs := []prometheus.Collector{m.fetches, lastSuccess, stale, expires}
	for i, c := range cs {
		if err := reg.Register(c); err != nil {
			for _, done := range cs[:i] {
				reg.Unregister(done)
			}
			return nil, err
		}
	}
	return m, nil
}
