package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/policy"
	"github.com/tollgate-authz/tollgate/policy/bundle"
	"github.com/tollgate-authz/tollgate/policy/bundle/oci"
)

// expiryRefreshMax bounds how long the exception gauges go without a
// refresh when no exception expires sooner.
const expiryRefreshMax = 5 * time.Second

// policySource keeps the policy store filled from IAM's policy directory
// or signed bundle, and checks every new version against the app teams'
// manifests before it replaces the running one.
type policySource struct {
	store         *policy.Store
	manifest      *authz.Manifest
	signals       []authz.Signal
	claims        []string
	deleg         *authz.DelegationContext
	opts          policy.Options
	requireSchema bool
	log           *slog.Logger
	watcher       *policy.Watcher
	fetcher       *bundle.Fetcher
	guarded       *guardedPolicies

	pendMu  sync.Mutex
	pending *policy.Snapshot // validated by the fetcher, not yet swapped in

	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

func newPolicySource(ctx context.Context, cfg *config.Config, logger *slog.Logger, reg prometheus.Registerer) (s *policySource, err error) {
	m, err := policy.NewMetrics(reg)
	if err != nil {
		return nil, err
	}
	s = &policySource{store: policy.NewStore(m), log: logger, signals: configSignals(cfg), done: make(chan struct{})}
	s.opts = policy.Options{MaxExceptionWindow: cfg.Policy.MaxExceptionWindow, Logger: logger,
		AllowEmpty: cfg.Policy.AllowEmpty}
	s.requireSchema = cfg.Policy.RequireSchema
	if cfg.Identity.JWT != nil {
		s.claims = cfg.Identity.JWT.Claims
	}
	s.deleg = DelegationContext(cfg.Identity.Delegation)
	if s.manifest, err = authz.LoadManifests(cfg.Manifests...); err != nil {
		return nil, err
	}
	if b := cfg.Policy.Bundle; b != nil {
		err = s.startFetcher(ctx, b, reg)
	} else {
		s.watcher, err = policy.NewWatcher(s.store, policy.WatcherOptions{
			Dir: cfg.Policy.Dir, Interval: cfg.Policy.ReloadInterval, Settle: cfg.Policy.SettleInterval,
			Logger: logger,
			Load:   func() (*policy.Snapshot, error) { return s.loadDir(cfg.Policy.Dir) },
		})
	}
	if err != nil {
		_ = s.close()
		return nil, err
	}
	if s.guarded, err = newGuardedPolicies(s, cfg.Policy.Bundle, reg); err != nil {
		_ = s.close()
		return nil, err
	}
	var tctx context.Context
	tctx, s.cancel = context.WithCancel(context.Background())
	go func() { defer close(s.done); s.store.RunExpiryTimer(tctx, expiryRefreshMax) }()
	return s, nil
}

func configSignals(cfg *config.Config) []authz.Signal {
	out := make([]authz.Signal, len(cfg.Signals))
	for i, sg := range cfg.Signals {
		out[i] = authz.Signal(sg)
	}
	return out
}

// loadDir loads the policy directory and checks it against the manifests.
func (s *policySource) loadDir(dir string) (*policy.Snapshot, error) {
	snap, err := policy.LoadDir(dir, s.opts)
	if err != nil {
		return nil, err
	}
	return snap, s.checkManifests(snap)
}

// checkManifests rejects a snapshot whose schema the manifests do not fit,
// or whose policies read what Tollgate's requests never hold (the same
// checks as validate, test and bundle build).
func (s *policySource) checkManifests(snap *policy.Snapshot) error {
	if err := authz.CheckPolicies(snap, authz.PolicyCheck{Manifest: s.manifest, Signals: s.signals,
		JWTClaims: s.claims, Delegation: s.deleg, RequireSchema: s.requireSchema}); err != nil {
		return fmt.Errorf("server: policy version %s does not fit the manifests: %w", snap.Version(), err)
	}
	return nil
}

func (s *policySource) startFetcher(ctx context.Context, b *config.PolicyBundle, reg prometheus.Registerer) error {
	keys, err := bundle.LoadPublicKeys(b.PublicKeys...)
	if err != nil {
		return err
	}
	cfg := bundle.FetcherConfig{
		URL: b.URL, AllowInsecureHTTP: b.AllowInsecureHTTP, PublicKeys: keys, Interval: b.Interval, CacheDir: b.CacheDir,
		MaxStaleness: b.MaxStaleness, StartTimeout: b.StartTimeout, Validate: s.validateBundle, OnUpdate: s.applyBundle,
		Logger: s.log, Registerer: reg,
	}
	if oci.IsReference(b.URL) {
		cfg.URL = ""
		if cfg.Source, err = oci.NewSource(b.URL, oci.Options{AllowInsecureHTTP: b.AllowInsecureHTTP}); err != nil {
			return err
		}
	}
	if s.fetcher, err = bundle.NewFetcher(cfg); err != nil {
		return err
	}
	return s.fetcher.Start(ctx)
}

// validateBundle loads a verified bundle (schema, policies, entities,
// exceptions) and checks it against the manifests.
func (s *policySource) validateBundle(fsys fs.FS) error {
	snap, err := policy.Load(fsys, s.opts)
	if err == nil {
		err = s.checkManifests(snap)
	}
	s.pendMu.Lock()
	defer s.pendMu.Unlock()
	s.pending = nil
	if err != nil {
		return err
	}
	s.pending = snap
	return nil
}

// applyBundle swaps in the snapshot validateBundle built, labelled with the
// signed manifest's version.
func (s *policySource) applyBundle(_ fs.FS, m *bundle.Manifest, digest string) error {
	s.pendMu.Lock()
	snap := s.pending
	s.pending = nil
	s.pendMu.Unlock()
	if snap == nil {
		return errors.New("server: bundle was not validated")
	}
	s.store.Swap(snap.WithVersion(m.Version))
	s.log.Info("policy bundle in force", "version", m.Version, "hash", snap.Hash(), "digest", digest,
		"policies", snap.Len())
	return nil
}

// stale reports whether the bundle in use expired or the bundle server was
// not reached in time.
func (s *policySource) stale() bool { return s.fetcher != nil && s.fetcher.Stale() }

// ready reports why decisions cannot be served, or nil. With no policy
// version loaded Tollgate is never ready (readyz answers 503).
func (s *policySource) ready() error {
	if s.store.Current() == nil {
		return errors.New("no policy snapshot loaded")
	}
	if s.fetcher != nil {
		return s.fetcher.Fresh()
	}
	return nil
}

// close stops the watcher or fetcher and the expiry timer. Idempotent.
func (s *policySource) close() error {
	var errs []error
	s.once.Do(func() {
		if s.cancel != nil {
			s.cancel()
			<-s.done
		}
		if s.watcher != nil {
			errs = append(errs, s.watcher.Close())
		}
		if s.fetcher != nil {
			errs = append(errs, s.fetcher.Close())
		}
	})
	return errors.Join(errs...)
}
