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
	"github.com/spiffe/go-spiffe/v2/federation"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// watch fetches ep's bundle until ctx ends.
func (f *Federation) watch(ctx context.Context, ep FederationEndpoint) {
	defer f.wg.Done()
	w := &bundleWatcher{f: f, ep: ep}
	_ = federation.WatchBundle(ctx, ep.TrustDomain, ep.URL, w, f.fetchOptions(ep)...)
	w.firstDone()
}

func (f *Federation) fetchOptions(ep FederationEndpoint) []federation.FetchOption {
	if ep.Profile == ProfileHTTPSSPIFFE {
		// The endpoint is authenticated with its trust domain's bundle:
		// the one fetched before, else the bootstrap bundle.
		src := x509Chain{f}
		if f.cfg.Bootstrap != nil {
			src = append(src, f.cfg.Bootstrap)
		}
		return []federation.FetchOption{federation.WithSPIFFEAuth(src, ep.EndpointID)}
	}
	if ep.Roots != nil {
		return []federation.FetchOption{federation.WithWebPKIRoots(ep.Roots)}
	}
	return nil
}

// bundleWatcher implements federation.BundleWatcher for one endpoint.
type bundleWatcher struct {
	f     *Federation
	ep    FederationEndpoint
	first sync.Once
}

func (w *bundleWatcher) firstDone() { w.first.Do(w.f.fetched.Done) }

func (w *bundleWatcher) NextRefresh(hint time.Duration) time.Duration {
	switch {
	case w.ep.RefreshInterval > 0:
		return w.ep.RefreshInterval
	case hint > 0:
		return hint
	}
	return DefaultFederationRefresh
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
		"url", w.ep.URL, "error", err.Error())
	w.firstDone()
}

// store replaces b's trust domain in a copy of the sets and notifies.
func (f *Federation) store(b *spiffebundle.Bundle) {
	f.mu.Lock()
	old := f.sets.Load()
	next := &bundleSets{x509: x509bundle.NewSet(old.x509.Bundles()...), jwt: jwtbundle.NewSet(old.jwt.Bundles()...)}
	next.x509.Remove(b.TrustDomain())
	next.jwt.Remove(b.TrustDomain())
	if len(b.X509Authorities()) > 0 {
		next.x509.Add(b.X509Bundle())
	}
	if len(b.JWTAuthorities()) > 0 {
		next.jwt.Add(b.JWTBundle())
	}
	f.sets.Store(next)
	f.mu.Unlock()
	f.notify()
}

func (f *Federation) registerMetrics() error {
	f.refresh = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "tollgate", Subsystem: "identity", Name: "federation_refresh_total",
		Help: "Federated bundle fetches by configured trust domain and result (updated or error; unchanged fetches are not counted).",
	}, []string{"trust_domain", "result"})
	for _, ep := range f.cfg.Endpoints {
		f.refresh.WithLabelValues(ep.TrustDomain.Name(), "updated")
		f.refresh.WithLabelValues(ep.TrustDomain.Name(), "error")
	}
	if f.cfg.Registerer == nil {
		return nil
	}
	if err := f.cfg.Registerer.Register(f.refresh); err != nil {
		return fmt.Errorf("identity: register metrics: %w", err)
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
