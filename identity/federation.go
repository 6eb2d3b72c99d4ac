package identity

import (
	"context"
	"crypto/x509"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// Federation profiles (SPIFFE Trust Domain and Bundle, section 5.2).
const (
	ProfileHTTPSWeb    = "https_web"
	ProfileHTTPSSPIFFE = "https_spiffe"
)

// DefaultFederationRefresh is the refresh interval when neither the
// endpoint's refresh hint nor FederationEndpoint.RefreshInterval is set.
const DefaultFederationRefresh = 5 * time.Minute

// DefaultFederationStartTimeout is FederationConfig.StartTimeout when 0.
const DefaultFederationStartTimeout = 10 * time.Second

// FederationEndpoint is one foreign trust domain's SPIFFE bundle endpoint.
type FederationEndpoint struct {
	TrustDomain spiffeid.TrustDomain
	URL         string
	// Profile is ProfileHTTPSWeb or ProfileHTTPSSPIFFE.
	Profile string
	// EndpointID is the endpoint server's SPIFFE ID (https_spiffe).
	EndpointID spiffeid.ID
	// Roots verifies an https_web server; nil means the system roots.
	Roots *x509.CertPool
	// RefreshInterval overrides the bundle's refresh hint when > 0.
	RefreshInterval time.Duration
	// MaxBundleAge makes Ready fail before the first successful fetch and
	// once none succeeded for so long; 0 leaves readiness alone.
	MaxBundleAge time.Duration
}

// FederationConfig configures a Federation source.
type FederationConfig struct {
	Endpoints []FederationEndpoint
	// Bootstrap holds X.509 bundles that authenticate https_spiffe
	// endpoints until their trust domain's bundle has been fetched (e.g.
	// the local FileBundles or WorkloadAPI).
	Bootstrap x509bundle.Source
	// StartTimeout bounds the wait for the first fetch of every endpoint.
	// A missing foreign bundle is not fatal: identities of that trust
	// domain are refused until it arrives.
	StartTimeout time.Duration
	// FetchTimeout bounds each fetch; 0 means DefaultFederationFetchTimeout.
	FetchTimeout time.Duration
	Logger       *slog.Logger
	// Registerer registers tollgate_identity_federation_refresh_total and
	// tollgate_identity_federation_bundle_age_seconds; nil skips them.
	Registerer prometheus.Registerer
	// Clock for bundle age; default time.Now.
	Clock func() time.Time
}

// DefaultFederationFetchTimeout is FederationConfig.FetchTimeout when 0.
const DefaultFederationFetchTimeout = 10 * time.Second

// endpointState is what the watcher of one endpoint records.
type endpointState struct {
	last atomic.Int64 // unix nanoseconds of the last successful fetch; 0 means none
}

// Federation serves bundles fetched from SPIFFE bundle endpoints and
// refreshes them. It implements x509bundle.Source and jwtbundle.Source.
type Federation struct {
	notifier
	cfg     FederationConfig
	mu      sync.Mutex
	sets    atomic.Pointer[bundleSets]
	state   map[spiffeid.TrustDomain]*endpointState // fixed at construction
	started time.Time
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	fetched sync.WaitGroup
	refresh *prometheus.CounterVec
	closing sync.Once
}

// NewFederation validates cfg, starts one watcher per endpoint and waits
// up to StartTimeout for their first fetch.
func NewFederation(cfg FederationConfig) (*Federation, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.StartTimeout <= 0 {
		cfg.StartTimeout = DefaultFederationStartTimeout
	}
	if cfg.FetchTimeout <= 0 {
		cfg.FetchTimeout = DefaultFederationFetchTimeout
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	f := &Federation{cfg: cfg, state: map[spiffeid.TrustDomain]*endpointState{}, started: cfg.Clock()}
	for _, ep := range cfg.Endpoints {
		f.state[ep.TrustDomain] = &endpointState{}
	}
	f.sets.Store(&bundleSets{x509: x509bundle.NewSet(), jwt: jwtbundle.NewSet()})
	if err := f.registerMetrics(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel = cancel
	for _, ep := range cfg.Endpoints {
		f.fetched.Add(1)
		f.wg.Add(1)
		go f.watch(ctx, ep)
	}
	f.waitFirst()
	return f, nil
}

func (cfg FederationConfig) validate() error {
	seen := map[spiffeid.TrustDomain]bool{}
	for i, ep := range cfg.Endpoints {
		switch {
		case ep.TrustDomain.IsZero():
			return configErr("federation[%d]: trust domain is empty", i)
		case seen[ep.TrustDomain]:
			return configErr("federation[%d]: trust domain %s is listed twice", i, ep.TrustDomain.Name())
		case ep.Profile == ProfileHTTPSSPIFFE && ep.EndpointID.IsZero():
			return configErr("federation[%d] (%s): https_spiffe needs the endpoint's SPIFFE ID", i, ep.TrustDomain.Name())
		case ep.Profile != ProfileHTTPSWeb && ep.Profile != ProfileHTTPSSPIFFE:
			return configErr("federation[%d] (%s): profile %q is neither https_web nor https_spiffe", i, ep.TrustDomain.Name(), ep.Profile)
		case ep.MaxBundleAge < 0 || ep.RefreshInterval < 0:
			return configErr("federation[%d] (%s): durations must not be negative", i, ep.TrustDomain.Name())
		}
		seen[ep.TrustDomain] = true
	}
	if len(cfg.Endpoints) == 0 {
		return configErr("federation: no endpoints")
	}
	return nil
}

func (f *Federation) waitFirst() {
	done := make(chan struct{})
	go func() { f.fetched.Wait(); close(done) }()
	t := time.NewTimer(f.cfg.StartTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		f.cfg.Logger.Warn("not every federated bundle was fetched at start; identities of those trust domains are refused until it arrives",
			"timeout", f.cfg.StartTimeout)
	}
}

// Close stops refreshing. It is idempotent.
func (f *Federation) Close() error {
	f.closing.Do(func() {
		f.cancel()
		f.wg.Wait()
	})
	return nil
}

// GetX509BundleForTrustDomain implements x509bundle.Source.
func (f *Federation) GetX509BundleForTrustDomain(td spiffeid.TrustDomain) (*x509bundle.Bundle, error) {
	return f.sets.Load().x509For(td, "federation")
}

// GetJWTBundleForTrustDomain implements jwtbundle.Source.
func (f *Federation) GetJWTBundleForTrustDomain(td spiffeid.TrustDomain) (*jwtbundle.Bundle, error) {
	return f.sets.Load().jwtFor(td, "federation")
}
