package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"google.golang.org/grpc"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/policy"
)

// parts are the long-lived objects built from the config.
type parts struct {
	cfg       *config.Config
	logger    *slog.Logger
	bundles   *identity.FileBundles
	verifier  *identity.Verifier
	store     *policy.Store
	watcher   *policy.Watcher
	engine    *authz.Engine
	decisions io.Closer
}

func buildParts(ctx context.Context, cfg *config.Config, logger *slog.Logger, reg prometheus.Registerer) (p *parts, err error) {
	p = &parts{cfg: cfg, logger: logger}
	defer func() {
		if err != nil {
			_ = p.close()
		}
	}()
	if err = p.buildIdentity(cfg, reg); err != nil {
		return nil, err
	}
	if err = p.buildPolicy(cfg, reg); err != nil {
		return nil, err
	}
	if err = p.buildEngine(cfg, reg); err != nil {
		return nil, err
	}
	return p, nil
}

func trustDomains(names []string) ([]spiffeid.TrustDomain, error) {
	tds := make([]spiffeid.TrustDomain, 0, len(names))
	for _, n := range names {
		td, err := spiffeid.TrustDomainFromString(n)
		if err != nil {
			return nil, fmt.Errorf("server: trust domain %q: %w", n, err)
		}
		tds = append(tds, td)
	}
	return tds, nil
}

func (p *parts) buildIdentity(cfg *config.Config, reg prometheus.Registerer) error {
	specs := make([]identity.BundleFile, 0, len(cfg.Identity.Bundles))
	for _, b := range cfg.Identity.Bundles {
		specs = append(specs, identity.BundleFile(b))
	}
	var err error
	if p.bundles, err = identity.NewFileBundles(specs); err != nil {
		return err
	}
	tds, err := trustDomains(cfg.Identity.TrustDomains)
	if err != nil {
		return err
	}
	vc := identity.Config{
		X509Bundles:          p.bundles,
		TrustDomains:         tds,
		TrustSourcePrincipal: cfg.Identity.TrustSourcePrincipal,
		Logger:               p.logger,
		Registerer:           reg,
	}
	if j := cfg.Identity.JWT; j != nil {
		vc.JWTBundles, vc.JWTAudiences = p.bundles, j.Audiences
	}
	p.verifier, err = identity.NewVerifier(vc)
	return err
}

func (p *parts) buildPolicy(cfg *config.Config, reg prometheus.Registerer) error {
	m, err := policy.NewMetrics(reg)
	if err != nil {
		return err
	}
	p.store = policy.NewStore(m)
	p.watcher, err = policy.NewWatcher(p.store, policy.WatcherOptions{
		Dir:      cfg.Policy.Dir,
		Interval: cfg.Policy.ReloadInterval,
		Logger:   p.logger,
		LoadOptions: policy.Options{
			MaxExceptionWindow: cfg.Policy.MaxExceptionWindow,
			Logger:             p.logger,
		},
	})
	return err
}

func (p *parts) buildEngine(cfg *config.Config, reg prometheus.Registerer) error {
	if len(cfg.Manifests) != 1 {
		return fmt.Errorf("server: exactly one manifest is supported, got %d", len(cfg.Manifests))
	}
	manifest, err := authz.LoadManifest(cfg.Manifests[0])
	if err != nil {
		return err
	}
	out, err := decisionWriter(cfg.Log.Decisions)
	if err != nil {
		return err
	}
	p.decisions = out
	signals := make([]authz.Signal, len(cfg.Signals))
	for i, s := range cfg.Signals {
		signals[i] = authz.Signal(s)
	}
	var claims []string
	if cfg.Identity.JWT != nil {
		claims = cfg.Identity.JWT.Claims
	}
	p.engine, err = authz.NewEngine(authz.Config{
		Identifier: p.verifier,
		Policies:   p.store,
		Manifest:   manifest,
		Signals:    signals,
		JWTClaims:  claims,
		Logger:     slog.New(slog.NewJSONHandler(out, nil)),
		Registerer: reg,
	})
	return err
}

// nopCloser keeps stdout and stderr open when the decision log closes.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

type writeCloser interface {
	io.Writer
	io.Closer
}

// decisionWriter opens the decision log destination.
func decisionWriter(dest string) (writeCloser, error) {
	switch dest {
	case "stdout":
		return nopCloser{os.Stdout}, nil
	case "stderr":
		return nopCloser{os.Stderr}, nil
	case "off":
		return nopCloser{io.Discard}, nil
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return nil, fmt.Errorf("server: decision log: %w", err)
	}
	return f, nil
}

func (p *parts) grpcServerOptions() []grpc.ServerOption { return nil }

// start launches background work that lives as long as the server.
func (p *parts) start(ctx context.Context) {}

func (p *parts) policyVersion() string {
	if s := p.store.Current(); s != nil {
		return s.Version()
	}
	return ""
}

// ready reports why Tollgate cannot serve decisions yet, or nil.
func (p *parts) ready() error {
	if p.store == nil || p.store.Current() == nil {
		return errors.New("no policy snapshot loaded")
	}
	return nil
}

func (p *parts) close() error {
	var errs []error
	if p.watcher != nil {
		errs = append(errs, p.watcher.Close())
	}
	if p.decisions != nil {
		errs = append(errs, p.decisions.Close())
	}
	return errors.Join(errs...)
}
