package identity

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/bundle/spiffebundle"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// watch fetches ep's bundle until ctx ends. A failed fetch keeps the
// bundle in use; a successful one, changed or not, refreshes its age.
func (f *Federation) watch(ctx context.Context, ep FederationEndpoint) {
	defer f.wg.Done()
	w := &bundleWatcher{f: f, ep: ep, state: f.state[ep.TrustDomain]}
	defer w.firstDone()
	client := f.httpClient(ep)
	var latest *spiffebundle.Bundle
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		b, err := fetchBundle(ctx, client, ep)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			w.OnError(err)
		default:
			if latest == nil || !latest.Equal(b) {
				latest = b
				w.OnUpdate(b)
			}
			w.state.last.Store(f.cfg.Clock().UnixNano()) // after the bundle is in place
			w.firstDone()
		}
		timer.Reset(w.NextRefresh(refreshHint(latest)))
	}
}

func refreshHint(b *spiffebundle.Bundle) time.Duration {
	if b == nil {
		return 0
	}
	h, _ := b.RefreshHint()
	return h
}

// Bounds on an endpoint's refresh hint (an explicit RefreshInterval is
// used as configured).
const (
	minFederationHint = time.Second
	maxFederationHint = time.Hour
)

// bundleWatcher handles one endpoint's fetch results.
type bundleWatcher struct {
	f     *Federation
	ep    FederationEndpoint
	state *endpointState
	first sync.Once
}

func (w *bundleWatcher) firstDone() { w.first.Do(w.f.fetched.Done) }

// NextRefresh is RefreshInterval, else the endpoint's hint clamped to
// [1s, 1h], else DefaultFederationRefresh; never more than a third of
// MaxBundleAge, so a quiet endpoint does not make the bundle look stale.
func (w *bundleWatcher) NextRefresh(hint time.Duration) time.Duration {
	next := DefaultFederationRefresh
	switch {
	case w.ep.RefreshInterval > 0:
		next = w.ep.RefreshInterval
	case hint > 0:
		next = min(max(hint, minFederationHint), maxFederationHint)
	}
	if m := w.ep.MaxBundleAge; m > 0 {
		next = min(next, m/3)
	}
	return next
}

func (w *bundleWatcher) OnUpdate(b *spiffebundle.Bundle) {
	w.f.store(b)
	w.f.refresh.WithLabelValues(w.ep.TrustDomain.Name(), "updated").Inc()
	w.f.cfg.Logger.Info("federated bundle updated", "trust_domain", w.ep.TrustDomain.Name(),
		"x509_authorities", len(b.X509Authorities()), "jwt_authorities", len(b.JWTAuthorities()))
	w.firstDone()
}

func (w *bundleWatcher) OnError(err error) {
	w.f.refresh.WithLabelValues(w.ep.TrustDomain.Name(), "error").Inc()
	w.f.cfg.Logger.Warn("federated bundle fetch failed; keeping the last bundle", "trust_domain", w.ep.TrustDomain.Name(),
		"url", redactURL(w.ep.URL), "error", err.Error())
	w.firstDone()
}

// store replaces b's trust domain in a copy of the sets and notifies.
func (f *Federation) store(b *spiffebundle.Bundle) {
	f.mu.Lock()
	old := f.sets.Load()
	next := &bundleSets{x509: x509bundle.NewSet(old.x509.Bundles()...), jwt: jwtbundle.NewSet(old.jwt.Bundles()...)}
	// Both kinds are stored, even empty: the fetched bundle is the
	// partner's whole set of authorities, so a Chain must not fall back to
	// a bootstrap file for a kind the partner no longer publishes.
	next.x509.Add(b.X509Bundle())
	next.jwt.Add(b.JWTBundle())
	f.sets.Store(next)
	f.mu.Unlock()
	f.notify()
}

func (f *Federation) registerMetrics() error {
	f.refresh = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "tollgate", Subsystem: "identity", Name: "federation_refresh_total",
		Help: "Federated bundle fetches by configured trust domain and result (updated or error; unchanged fetches are not counted).",
	}, []string{"trust_domain", "result"})
	cs := []prometheus.Collector{f.refresh}
	for _, ep := range f.cfg.Endpoints {
		td := ep.TrustDomain
		f.refresh.WithLabelValues(td.Name(), "updated")
		f.refresh.WithLabelValues(td.Name(), "error")
		cs = append(cs, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "tollgate", Subsystem: "identity", Name: "federation_bundle_age_seconds",
			Help:        "Seconds since the last successful fetch of a configured trust domain's federated bundle (since start before the first).",
			ConstLabels: prometheus.Labels{"trust_domain": td.Name()},
		}, func() float64 { return f.age(td).Seconds() }))
	}
	if f.cfg.Registerer == nil {
		return nil
	}
	for i, c := range cs {
		if err := f.cfg.Registerer.Register(c); err != nil {
			for _, done := range cs[:i] {
				f.cfg.Registerer.Unregister(done)
			}
			return fmt.Errorf("identity: register metrics: %w", err)
		}
	}
	return nil
}

// x509Chain is Chain for X.509 sources only.
type x509Chain []x509bundle.Source

func (c x509Chain) GetX509BundleForTrustDomain(td spiffeid.TrustDomain) (*x509bundle.Bundle, error) {
	for _, s := range c {
		if b, err := s.GetX509BundleForTrustDomain(td); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("identity: %w: X.509 %s", ErrNoBundle, td.Name())
}
