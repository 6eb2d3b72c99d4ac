package identity

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/svid/x509svid"
	"github.com/spiffe/go-spiffe/v2/workloadapi"
)

// Workload API defaults.
const (
	DefaultStartTimeout  = 30 * time.Second
	DefaultRetryInterval = 2 * time.Second
)

var (
	// ErrWorkloadAPI wraps Workload API start-up failures.
	ErrWorkloadAPI = errors.New("workload API unavailable")
	// ErrNotReady wraps every readiness failure of a bundle source.
	ErrNotReady = errors.New("trust bundles not ready")
)

// WorkloadAPIConfig configures a WorkloadAPI source.
type WorkloadAPIConfig struct {
	// Socket is the agent's address ("unix:///path"); empty means the
	// SPIFFE_ENDPOINT_SOCKET environment variable.
	Socket string
	// StartTimeout bounds the wait for the first X.509 context and JWT
	// bundles; 0 means DefaultStartTimeout.
	StartTimeout time.Duration
	// MaxBundleAge makes Ready fail once no update arrived for so long; 0
	// disables the check. While the agent is reachable the bundles are
	// re-confirmed every MaxBundleAge/3, so only an outage makes them stale.
	MaxBundleAge time.Duration
	// RetryInterval is the pause between reconnection attempts; 0 means
	// DefaultRetryInterval.
	RetryInterval time.Duration
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
	// Logger receives watch errors; nil discards them.
	Logger *slog.Logger
	// Registerer registers tollgate_identity_bundle_age_seconds; nil skips it.
	Registerer prometheus.Registerer
}

// WorkloadAPI serves the trust bundles and Tollgate's own X.509-SVID from
// a SPIFFE Workload API (a SPIRE agent) and follows their rotation. When
// the agent goes away it keeps serving the last bundles and reconnects.
// It implements x509bundle.Source, jwtbundle.Source and x509svid.Source.
type WorkloadAPI struct {
	notifier
	cfg    WorkloadAPIConfig
	client *workloadapi.Client
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex // serialises writers of sets
	sets    atomic.Pointer[bundleSets]
	svid    atomic.Pointer[x509svid.SVID]
	gotX509 atomic.Bool
	gotJWT  atomic.Bool
	last    atomic.Int64 // unix nanoseconds of the last update
	lastErr atomic.Pointer[string]
	first   chan struct{}
	once    sync.Once
	closing sync.Once
}

var (
	_ x509bundle.Source = (*WorkloadAPI)(nil)
	_ jwtbundle.Source  = (*WorkloadAPI)(nil)
	_ x509svid.Source   = (*WorkloadAPI)(nil)
)

// NewWorkloadAPI connects to the Workload API and waits for the first X.509
// context and JWT bundles. With no answer within StartTimeout it fails with
// an error naming the socket and wrapping ErrWorkloadAPI.
func NewWorkloadAPI(ctx context.Context, cfg WorkloadAPIConfig) (*WorkloadAPI, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	w := &WorkloadAPI{cfg: cfg, first: make(chan struct{})}
	w.sets.Store(&bundleSets{x509: x509bundle.NewSet(), jwt: jwtbundle.NewSet()})
	if err := w.register(); err != nil {
		return nil, err
	}
	w.client, err = workloadapi.New(ctx, workloadapi.WithAddr(cfg.Socket),
		workloadapi.WithBackoffStrategy(constantBackoff(cfg.RetryInterval)),
		workloadapi.WithDialOptions(dialBackoff(cfg.RetryInterval)))
	if err != nil {
		return nil, fmt.Errorf("identity: %w: %s: %w", ErrWorkloadAPI, cfg.Socket, err)
	}
	w.start()
	if err := w.waitFirst(ctx); err != nil {
		_ = w.Close()
		return nil, err
	}
	return w, nil
}

func (cfg WorkloadAPIConfig) withDefaults() (WorkloadAPIConfig, error) {
	if cfg.Socket == "" {
		cfg.Socket, _ = workloadapi.GetDefaultAddress()
	}
	if cfg.Socket == "" {
		return cfg, configErr("workload API: no socket configured and %s is not set", workloadapi.SocketEnv)
	}
	if err := workloadapi.ValidateAddress(cfg.Socket); err != nil {
		return cfg, configErr("workload API socket %q: %v", cfg.Socket, err)
	}
	if cfg.StartTimeout <= 0 {
		cfg.StartTimeout = DefaultStartTimeout
	}
	if cfg.RetryInterval <= 0 {
		cfg.RetryInterval = DefaultRetryInterval
	}
	if cfg.MaxBundleAge < 0 {
		return cfg, configErr("workload API: MaxBundleAge is negative")
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg, nil
}

func (w *WorkloadAPI) waitFirst(ctx context.Context) error {
	t := time.NewTimer(w.cfg.StartTimeout)
	defer t.Stop()
	select {
	case <-w.first:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("identity: %w: %s: %w", ErrWorkloadAPI, w.cfg.Socket, ctx.Err())
	case <-t.C:
	}
	why := "no answer"
	if p := w.lastErr.Load(); p != nil {
		why = "last error: " + *p
	}
	return fmt.Errorf("identity: %w: no X.509 context and JWT bundles from %s within %s (%s); "+
		"is the SPIRE agent running, and is Tollgate registered with it?", ErrWorkloadAPI, w.cfg.Socket, w.cfg.StartTimeout, why)
}

// Close stops watching and closes the connection. It is idempotent.
func (w *WorkloadAPI) Close() error {
	var err error
	w.closing.Do(func() {
		if w.cancel != nil {
			w.cancel()
		}
		w.wg.Wait()
		if w.client != nil {
			err = w.client.Close()
		}
	})
	return err
}

// GetX509BundleForTrustDomain implements x509bundle.Source.
func (w *WorkloadAPI) GetX509BundleForTrustDomain(td spiffeid.TrustDomain) (*x509bundle.Bundle, error) {
	return w.sets.Load().x509For(td, "workload API")
}

// GetJWTBundleForTrustDomain implements jwtbundle.Source.
func (w *WorkloadAPI) GetJWTBundleForTrustDomain(td spiffeid.TrustDomain) (*jwtbundle.Bundle, error) {
	return w.sets.Load().jwtFor(td, "workload API")
}

// GetX509SVID implements x509svid.Source: Tollgate's own default SVID.
func (w *WorkloadAPI) GetX509SVID() (*x509svid.SVID, error) {
	if s := w.svid.Load(); s != nil {
		return s, nil
	}
	return nil, fmt.Errorf("identity: %w: no X.509-SVID from %s yet", ErrNotReady, w.cfg.Socket)
}

// LastUpdate is when bundles last arrived (or were re-confirmed).
func (w *WorkloadAPI) LastUpdate() time.Time {
	if n := w.last.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// Ready fails (wrapping ErrNotReady) until the first X.509 and JWT bundles
// arrived, and once MaxBundleAge passed without an update.
func (w *WorkloadAPI) Ready() error {
	switch {
	case !w.gotX509.Load():
		return fmt.Errorf("identity: %w: no X.509 bundles from the workload API at %s yet", ErrNotReady, w.cfg.Socket)
	case !w.gotJWT.Load():
		return fmt.Errorf("identity: %w: no JWT bundles from the workload API at %s yet", ErrNotReady, w.cfg.Socket)
	}
	if max := w.cfg.MaxBundleAge; max > 0 {
		if age := w.age(); age > max {
			return fmt.Errorf("identity: %w: no update from the workload API at %s for %s (max_bundle_age %s)",
				ErrNotReady, w.cfg.Socket, age.Truncate(time.Second), max)
		}
	}
	return nil
}

// age is the time since the last update (0 before the first).
func (w *WorkloadAPI) age() time.Duration {
	last := w.LastUpdate()
	if last.IsZero() {
		return 0
	}
	return w.cfg.Clock().Sub(last)
}
