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
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/policy"
	"github.com/tollgate-authz/tollgate/policy/bundle"
	"github.com/tollgate-authz/tollgate/policy/bundle/oci"
)

// expiryRefreshMax bounds how long the exception gauges go without a
// refresh when no exception expires sooner.
const expiryRefreshMax = 5 * time.Second

// policySource wires IAM's policy directory (policy.Watcher) or signed
// bundle (bundle.Fetcher) to the store the engine reads: either source
// publishes only snapshots that its Load checked against the app teams'
// manifests. Staleness and exception counting are the store's.
type policySource struct {
	store         *policy.Store
	src           policy.Source
	manifest      *manifest.Manifest
	signals       []authz.Signal
	claims        []string
	deleg         *authz.DelegationContext
	opts          policy.Options
	requireSchema bool
	log           *slog.Logger

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
	if s.manifest, err = manifest.LoadAll(cfg.Manifests...); err != nil {
		return nil, err
	}
	for _, w := range s.manifest.Warnings() {
		logger.Warn("manifest warning", "warning", w)
	}
	if b := cfg.Policy.Bundle; b != nil {
		err = s.startFetcher(ctx, b, reg)
	} else {
		err = s.startWatcher(&cfg.Policy)
	}
	if err != nil {
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
// checks as validate, test and bundle build), and prepares one that fits
// for the Checks it will decide.
func (s *policySource) checkManifests(snap *policy.Snapshot) error {
	warnings, err := authz.CheckPoliciesWarnings(snap, authz.PolicyCheck{Manifest: s.manifest, Signals: s.signals,
		JWTClaims: s.claims, Delegation: s.deleg, RequireSchema: s.requireSchema})
	if err != nil {
		return fmt.Errorf("server: policy version %s does not fit the manifests: %w", snap.Version(), err)
	}
	for _, w := range warnings {
		s.log.Warn("policy warning", "version", snap.Version(), "warning", w.Error())
	}
	authz.PrepareSnapshot(snap)
	return nil
}

func (s *policySource) startWatcher(p *config.Policy) error {
	w, err := policy.NewWatcher(s.store, policy.WatcherOptions{
		Dir: p.Dir, Interval: p.ReloadInterval, Settle: p.SettleInterval, Logger: s.log,
		Load: func() (*policy.Snapshot, error) { return s.loadDir(p.Dir) },
	})
	if err != nil {
		return err // s.src stays nil: a typed nil would not be
	}
	s.src = w
	return nil
}

func (s *policySource) startFetcher(ctx context.Context, b *config.PolicyBundle, reg prometheus.Registerer) error {
	keys, err := bundle.LoadPublicKeys(b.PublicKeys...)
	if err != nil {
		return err
	}
	cfg := bundle.FetcherConfig{
		URL: b.URL, AllowInsecureHTTP: b.AllowInsecureHTTP, PublicKeys: keys, Interval: b.Interval, CacheDir: b.CacheDir,
		MaxStaleness: b.MaxStaleness, StartTimeout: b.StartTimeout, Load: s.loadBundle, Store: s.store,
		Logger: s.log, Registerer: reg,
	}
	if oci.IsReference(b.URL) {
		cfg.URL = ""
		if cfg.Source, err = oci.NewSource(b.URL, oci.Options{AllowInsecureHTTP: b.AllowInsecureHTTP}); err != nil {
			return err
		}
	}
	f, err := bundle.NewFetcher(cfg)
	if err != nil {
		return err
	}
	s.src = f
	if b.OnStale != "serve" {
		s.store.DenyWhenStale(f.Stale)
	}
	return f.Start(ctx)
}

// loadBundle loads a verified bundle (schema, policies, entities,
// exceptions) and checks it against the manifests.
func (s *policySource) loadBundle(fsys fs.FS, _ *bundle.Manifest) (*policy.Snapshot, error) {
	snap, err := policy.Load(fsys, s.opts)
	if err != nil {
		return nil, err
	}
	return snap, s.checkManifests(snap)
}

// ready reports why decisions cannot be served, or nil. With no policy
// version loaded Tollgate is never ready (readyz answers 503).
func (s *policySource) ready() error {
	if s.src == nil {
		return policy.ErrNoSnapshot
	}
	return s.src.Ready()
}

// close stops the source and the expiry timer. Idempotent.
func (s *policySource) close() error {
	var errs []error
	s.once.Do(func() {
		if s.cancel != nil {
			s.cancel()
			<-s.done
		}
		if s.src != nil {
			errs = append(errs, s.src.Close())
		}
	})
	return errors.Join(errs...)
}
