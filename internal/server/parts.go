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
	"github.com/tollgate-authz/tollgate/internal/adminui"
	"github.com/tollgate-authz/tollgate/internal/config"
)

// parts are the long-lived objects built from the config.
type parts struct {
	cfg       *config.Config
	logger    *slog.Logger
	sources   *identitySources    // trust bundles: files, Workload API, federation (identity.go)
	grpcOpts  []grpc.ServerOption // listen.mtls credentials
	verifier  *identity.Verifier
	source    *policySource
	shadow    *policySource // policy.shadow, or nil (shadow.go)
	engine    *authz.Engine
	decisions io.Closer
	ring      *adminui.Ring // admin.ui's recent decisions, or nil (adminui.go)
}

// buildParts builds every part; on failure it closes what it had built.
func buildParts(ctx context.Context, cfg *config.Config, logger *slog.Logger, reg prometheus.Registerer) (*parts, error) {
	p := &parts{cfg: cfg, logger: logger}
	err := p.buildIdentity(ctx, cfg, reg)
	if err == nil {
		err = p.buildPolicy(ctx, cfg, reg)
	}
	if err == nil {
		err = p.buildShadow(ctx, cfg, reg)
	}
	if err == nil {
		err = p.buildEngine(ctx, cfg, reg)
	}
	if err != nil {
		_ = p.close()
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

func (p *parts) buildIdentity(ctx context.Context, cfg *config.Config, reg prometheus.Registerer) error {
	var err error
	if p.sources, err = buildSources(ctx, &cfg.Identity, p.logger, reg); err != nil {
		return err
	}
	tds, err := trustDomains(cfg.Identity.TrustDomains)
	if err != nil {
		return err
	}
	vc := identity.Config{
		X509Bundles:          p.sources.chain,
		TrustDomains:         tds,
		TrustSourcePrincipal: cfg.Identity.TrustSourcePrincipal,
		Logger:               p.logger,
		Registerer:           reg,
	}
	if j := cfg.Identity.JWT; j != nil {
		vc.JWTBundles, vc.JWTAudiences = p.sources.chain, j.Audiences
	}
	if vc.XFCC, err = xfccConfig(cfg.Identity.XFCC); err != nil {
		return err
	}
	if p.verifier, err = identity.NewVerifier(vc); err != nil {
		return err
	}
	p.sources.onChange(p.verifier.InvalidateCache)
	if m := cfg.Listen.MTLS; m != nil {
		opt, err := mtlsOption(m, p.sources)
		if err != nil {
			return err
		}
		p.grpcOpts = append(p.grpcOpts, opt)
	}
	return nil
}

// buildPolicy loads the manifests and the policy source (directory or
// signed bundle); every policy version must fit the manifests. See
// policysource.go.
func (p *parts) buildPolicy(ctx context.Context, cfg *config.Config, reg prometheus.Registerer) error {
	src, err := newPolicySource(ctx, cfg, p.logger, reg)
	if err != nil {
		return err
	}
	p.source = src
	return nil
}

func (p *parts) buildEngine(ctx context.Context, cfg *config.Config, reg prometheus.Registerer) error {
	manifest := p.source.manifest // every manifest source, merged and checked in buildPolicy
	out, err := decisionWriter(cfg.Log.Decisions)
	if err != nil {
		return err
	}
	p.decisions = out
	deleg, err := buildDelegation(ctx, cfg.Identity.Delegation, p.source.store)
	if err != nil {
		return err
	}
	var shadow authz.Policies
	if p.shadow != nil {
		shadow = p.shadow.guarded
	}
	var tail authz.DecisionTail // a nil *adminui.Ring would be a non-nil tail
	if cfg.Admin.UI {
		p.ring = adminui.NewRing(nil)
		tail = p.ring
	}
	// The same signals and claims the policy source checks the manifests
	// against, so the check vets the context the engine builds.
	p.engine, err = authz.NewEngine(authz.Config{
		Identifier:  p.verifier,
		Policies:    p.source.guarded,
		Shadow:      shadow,
		Manifest:    manifest,
		Signals:     p.source.signals,
		JWTClaims:   p.source.claims,
		Delegation:  deleg,
		DecisionLog: slog.New(decisionHandler(cfg.Log.DecisionFormat, out)),
		Tail:        tail,
		Registerer:  reg,
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

func (p *parts) grpcServerOptions() []grpc.ServerOption { return p.grpcOpts }

func (p *parts) policyVersion() string {
	if s := p.source.store.Current(); s != nil {
		return s.Version()
	}
	return ""
}

// ready reports why Tollgate cannot serve decisions yet, or nil.
func (p *parts) ready() error {
	if err := p.sources.ready(); err != nil {
		return err
	}
	if p.source == nil {
		return errors.New("no policy snapshot loaded")
	}
	return p.source.ready()
}

func (p *parts) close() error {
	if p == nil {
		return nil
	}
	var errs []error
	if p.sources != nil {
		errs = append(errs, p.sources.close())
	}
	if p.source != nil {
		errs = append(errs, p.source.close())
	}
	if p.shadow != nil {
		errs = append(errs, p.shadow.close())
	}
	if p.decisions != nil {
		errs = append(errs, p.decisions.Close())
	}
	return errors.Join(errs...)
}
