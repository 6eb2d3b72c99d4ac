package policy

import (
	"errors"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the tollgate_policy_* and tollgate_exception* metrics. A nil
// *Metrics records nothing.
type Metrics struct {
	reloads    *prometheus.CounterVec
	info       *prometheus.GaugeVec
	count      prometheus.Gauge
	excActive  prometheus.Gauge
	excNext    prometheus.Gauge
	excExpired prometheus.Gauge
	excRefused prometheus.Gauge
	evalErrors *prometheus.CounterVec
	excDecided *prometheus.CounterVec
	determ     *determiningMetric

	mu       sync.Mutex
	infoSet  bool
	infoLbls [2]string // version, hash of the current info series
}

// NewMetrics creates the metrics and registers them with reg (nil: none).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	opts := func(name, help string) prometheus.Opts {
		return prometheus.Opts{Namespace: "tollgate", Subsystem: "policy", Name: name, Help: help}
	}
	m := &Metrics{
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts(opts("reloads_total",
			"Policy reload attempts by result (success or error).")), []string{"result"}),
		info: prometheus.NewGaugeVec(prometheus.GaugeOpts(opts("info",
			"Set to 1 for the policy snapshot in force.")), []string{"version", "hash"}),
		count: prometheus.NewGauge(prometheus.GaugeOpts(opts("count",
			"Number of policies in the snapshot in force."))),
		excActive: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "tollgate", Name: "exceptions_active",
			Help: "Number of governed exceptions in force."}),
		excNext: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "tollgate", Name: "exception_next_expiry_seconds",
			Help: "Unix time at which the next governed exception expires (0 when none)."}),
		excExpired: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "tollgate", Name: "exceptions_expired",
			Help: "Number of governed exceptions in the policy in force that have expired and no longer apply."}),
		excRefused: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "tollgate", Name: "exceptions_refused",
			Help: "Number of governed exceptions refused (malformed or over the approval window) whose file was left out."}),
		evalErrors: prometheus.NewCounterVec(prometheus.CounterOpts(opts("errors_total",
			"Policies that errored during evaluation, by effect.")), []string{"effect"}),
		excDecided: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "tollgate", Name: "exception_decisions_total",
			Help: "Decisions determined by a governed exception, by decision (allow or deny)."}, []string{"decision"}),
		determ: newDeterminingMetric(),
	}
	m.excDecided.WithLabelValues("allow")
	m.excDecided.WithLabelValues("deny")
	if reg == nil {
		return m, nil
	}
	var errs []error
	for _, c := range []prometheus.Collector{m.reloads, m.info, m.count, m.excActive, m.excNext,
		m.excExpired, m.excRefused, m.evalErrors, m.excDecided, m.determ.vec} {
		errs = append(errs, reg.Register(c))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, wrap(err)
	}
	return m, nil
}

func (m *Metrics) reload(err error) {
	if m == nil {
		return
	}
	result := "success"
	if err != nil {
		result = "error"
	}
	m.reloads.WithLabelValues(result).Inc()
}

// snapshot records the snapshot now in force (nil: none).
func (m *Metrics) snapshot(s *Snapshot) {
	if m == nil {
		return
	}
	m.determ.swap(s)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.infoSet {
		m.info.DeleteLabelValues(m.infoLbls[0], m.infoLbls[1])
		m.infoSet = false
	}
	if s == nil {
		m.count.Set(0)
		m.exceptions(nil)
		return
	}
	m.infoLbls, m.infoSet = [2]string{s.Version(), s.Hash()}, true
	m.info.WithLabelValues(s.Version(), s.Hash()).Set(1)
	m.count.Set(float64(s.Len()))
	m.exceptions(s)
}

// exceptions refreshes the exception gauges, per the snapshot's clock.
func (m *Metrics) exceptions(s *Snapshot) {
	if m == nil {
		return
	}
	if s == nil {
		m.excActive.Set(0)
		m.excNext.Set(0)
		m.excExpired.Set(0)
		m.excRefused.Set(0)
		return
	}
	now := s.clock()
	m.excActive.Set(float64(len(s.ActiveExceptions(now))))
	m.excExpired.Set(float64(len(s.ExpiredExceptions(now))))
	m.excRefused.Set(float64(len(s.refused)))
	next, ok := s.NextExpiry(now)
	if !ok {
		m.excNext.Set(0)
		return
	}
	m.excNext.Set(float64(next.UnixNano()) / 1e9)
}

func (m *Metrics) decision(d *Decision) {
	if m == nil {
		return
	}
	m.determ.observe(d)
	for _, e := range d.Errors {
		effect := EffectPermit
		if e.Forbid {
			effect = EffectForbid
		}
		m.evalErrors.WithLabelValues(string(effect)).Inc()
	}
	if len(d.Exceptions) > 0 {
		decision := "deny"
		if d.Allow {
			decision = "allow"
		}
		m.excDecided.WithLabelValues(decision).Inc()
	}
}

// noPolicy is the policy label of a decision no policy determined
// (no_permit, no_snapshot, stale_policy, invalid_request).
const noPolicy = "none"

// determiningMetric is tollgate_policy_determining_total{policy,decision}:
// how often each policy @id determined a decision. The policy label holds
// only the @ids of the snapshot in force plus "none": when a snapshot is
// swapped in, the series of policies it no longer holds are deleted, so
// reloads cannot grow the series count without bound. Prometheus reads
// the deletion as the end of that series; rate() over it is unaffected.
type determiningMetric struct {
	vec *prometheus.CounterVec

	mu sync.Mutex // guards creating and deleting children
	// loaded is the byID map of the snapshot in force (never written after
	// load), so the @ids are held once, by the snapshot.
	loaded   atomic.Pointer[map[string]*entry]
	children sync.Map // [2]string{policy, decision} -> Counter
}

func newDeterminingMetric() *determiningMetric {
	d := &determiningMetric{vec: prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "tollgate", Subsystem: "policy", Name: "determining_total",
		Help: "Evaluations by determining policy @id (\"none\" when no policy determined the decision) and decision (allow or deny).",
	}, []string{"policy", "decision"})}
	d.loaded.Store(new(map[string]*entry))
	return d
}

// observe counts one evaluation once per determining policy.
func (d *determiningMetric) observe(dec *Decision) {
	decision := "deny"
	if dec.Allow {
		decision = "allow"
	}
	if len(dec.Determining) == 0 {
		d.inc(noPolicy, decision)
		return
	}
	for _, id := range dec.Determining {
		d.inc(id, decision)
	}
}

func (d *determiningMetric) inc(id, decision string) {
	k := [2]string{id, decision}
	if c, ok := d.children.Load(k); ok {
		c.(prometheus.Counter).Inc()
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := (*d.loaded.Load())[id]; id != noPolicy && !ok {
		return // decided by a snapshot already swapped out: not labelled
	}
	c := d.vec.WithLabelValues(id, decision)
	d.children.Store(k, c)
	c.Inc()
}

// swap makes s's policies the allowed label values and deletes the series
// of every other policy.
func (d *determiningMetric) swap(s *Snapshot) {
	var ids map[string]*entry // nil: no snapshot, no @ids
	if s != nil {
		ids = s.byID
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.loaded.Store(&ids)
	d.children.Range(func(key, _ any) bool {
		k := key.([2]string)
		if _, ok := ids[k[0]]; k[0] != noPolicy && !ok {
			d.children.Delete(k)
			d.vec.DeleteLabelValues(k[0], k[1])
		}
		return true
	})
}
