package server

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"slices"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/spiffetls/tlsconfig"
	"github.com/spiffe/go-spiffe/v2/svid/x509svid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/config"
)

// identitySources are the trust bundle sources named by the config.
// chain serves them in order federation, Workload API, files: a fetched
// federated bundle overrides a bootstrap file for the same trust domain.
type identitySources struct {
	files      *identity.FileBundles
	workload   *identity.WorkloadAPI
	federation *identity.Federation
	chain      identity.Chain
	logger     *slog.Logger
}

func buildSources(ctx context.Context, cfg *config.Identity, logger *slog.Logger, reg prometheus.Registerer) (_ *identitySources, err error) {
	s := &identitySources{logger: logger}
	// On failure close what was built; s stays non-nil for the deferred close.
	defer func() {
		if err != nil {
			_ = s.close()
		}
	}()
	if len(cfg.Bundles) > 0 {
		specs := make([]identity.BundleFile, 0, len(cfg.Bundles))
		for _, b := range cfg.Bundles {
			specs = append(specs, identity.BundleFile(b))
		}
		if s.files, err = identity.NewFileBundles(specs); err != nil {
			return nil, err
		}
	}
	if w := cfg.WorkloadAPI; w != nil {
		s.workload, err = identity.NewWorkloadAPI(ctx, identity.WorkloadAPIConfig{
			Socket: w.Socket, StartTimeout: w.StartTimeout, MaxBundleAge: w.MaxBundleAge,
			Logger: logger, Registerer: reg,
		})
		if err != nil {
			return nil, err
		}
	}
	local := s.localChain()
	if len(cfg.Federation) > 0 {
		if s.federation, err = buildFederation(cfg.Federation, local, logger, reg); err != nil {
			return nil, err
		}
		s.chain = append(identity.Chain{s.federation}, local...)
	} else {
		s.chain = local
	}
	return s, nil
}

func (s *identitySources) localChain() identity.Chain {
	var c identity.Chain
	if s.workload != nil {
		c = append(c, s.workload)
	}
	if s.files != nil {
		c = append(c, s.files)
	}
	return c
}

func buildFederation(feds []config.Federation, bootstrap identity.Chain, logger *slog.Logger, reg prometheus.Registerer) (*identity.Federation, error) {
	eps := make([]identity.FederationEndpoint, 0, len(feds))
	for i, f := range feds {
		ep := identity.FederationEndpoint{URL: f.URL, Profile: f.Profile, RefreshInterval: f.RefreshInterval,
			MaxBundleAge: f.MaxBundleAge}
		var err error
		if ep.TrustDomain, err = spiffeid.TrustDomainFromString(f.TrustDomain); err != nil {
			return nil, fmt.Errorf("server: identity.federation[%d].trust_domain: %w", i, err)
		}
		if f.EndpointID != "" {
			if ep.EndpointID, err = spiffeid.FromString(f.EndpointID); err != nil {
				return nil, fmt.Errorf("server: identity.federation[%d].endpoint_spiffe_id: %w", i, err)
			}
		}
		if f.CAFile != "" {
			if ep.Roots, err = loadRoots(f.CAFile); err != nil {
				return nil, fmt.Errorf("server: identity.federation[%d].ca_file: %w", i, err)
			}
		}
		eps = append(eps, ep)
	}
	return identity.NewFederation(identity.FederationConfig{Endpoints: eps, Bootstrap: bootstrap, Logger: logger, Registerer: reg})
}

func loadRoots(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}

// onChange subscribes fn (Verifier.InvalidateCache) to every rotating
// source, and starts re-reading bundle files.
func (s *identitySources) onChange(fn func()) {
	if s.files != nil {
		s.files.OnChange(fn)
		s.files.Watch(identity.DefaultFileBundleInterval, s.logger)
	}
	if s.workload != nil {
		s.workload.OnChange(fn)
	}
	if s.federation != nil {
		s.federation.OnChange(fn)
	}
}

// ready fails while the Workload API has not delivered bundles or they are
// older than its max_bundle_age, and while a federated bundle with a
// max_bundle_age was not fetched successfully within it. A federated trust
// domain without max_bundle_age does not gate readiness: a missing foreign
// bundle only refuses that trust domain's identities.
func (s *identitySources) ready() error {
	if s == nil {
		return nil
	}
	var errs []error
	if s.workload != nil {
		errs = append(errs, s.workload.Ready())
	}
	if s.federation != nil {
		errs = append(errs, s.federation.Ready())
	}
	return errors.Join(errs...)
}

func (s *identitySources) close() error {
	var errs []error
	if s.files != nil {
		errs = append(errs, s.files.Close())
	}
	if s.federation != nil {
		errs = append(errs, s.federation.Close())
	}
	if s.workload != nil {
		errs = append(errs, s.workload.Close())
	}
	return errors.Join(errs...)
}

// xfccConfig converts identity.xfcc (already validated by config).
func xfccConfig(x *config.XFCC) (*identity.XFCCConfig, error) {
	if x == nil {
		return nil, nil
	}
	out := &identity.XFCCConfig{Element: x.Element, AllowURIOnly: x.AllowURIOnly}
	for i, h := range x.TrustedHops {
		id, err := spiffeid.FromString(h)
		if err != nil {
			return nil, fmt.Errorf("server: identity.xfcc.trusted_hops[%d]: %w", i, err)
		}
		out.TrustedHops = append(out.TrustedHops, id)
	}
	for i, a := range x.TrustedAddresses {
		p, err := netip.ParsePrefix(a)
		if err != nil {
			addr, aErr := netip.ParseAddr(a)
			if aErr != nil {
				return nil, fmt.Errorf("server: identity.xfcc.trusted_proxies[%d]: %w", i, err)
			}
			p = netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen())
		}
		out.TrustedAddresses = append(out.TrustedAddresses, p)
	}
	return out, nil
}

// mtlsOption makes the ext_authz listener require an X.509-SVID from one
// of the allowed callers, serving Tollgate's own SVID from the Workload API.
func mtlsOption(m *config.ListenMTLS, s *identitySources) (grpc.ServerOption, error) {
	if s.workload == nil {
		return nil, errors.New("server: listen.mtls needs identity.workload_api for Tollgate's own SVID")
	}
	return mtlsCreds(m, s.workload, s.chain)
}

func mtlsCreds(m *config.ListenMTLS, svid x509svid.Source, bundles x509bundle.Source) (grpc.ServerOption, error) {
	auth, err := mtlsAuthorizer(m)
	if err != nil {
		return nil, err
	}
	tc := tlsconfig.MTLSServerConfig(svid, bundles, auth)
	return grpc.Creds(credentials.NewTLS(tc)), nil
}

// mtlsAuthorizer admits allowed_ids and members of allowed_trust_domain.
func mtlsAuthorizer(m *config.ListenMTLS) (tlsconfig.Authorizer, error) {
	ids := make([]spiffeid.ID, 0, len(m.AllowedIDs))
	for i, s := range m.AllowedIDs {
		id, err := spiffeid.FromString(s)
		if err != nil {
			return nil, fmt.Errorf("server: listen.mtls.allowed_ids[%d]: %w", i, err)
		}
		ids = append(ids, id)
	}
	var td spiffeid.TrustDomain
	if m.AllowedTrustDomain != "" {
		var err error
		if td, err = spiffeid.TrustDomainFromString(m.AllowedTrustDomain); err != nil {
			return nil, fmt.Errorf("server: listen.mtls.allowed_trust_domain: %w", err)
		}
	}
	if len(ids) == 0 && td.IsZero() {
		return nil, errors.New("server: listen.mtls admits nobody: set allowed_ids or allowed_trust_domain")
	}
	return func(id spiffeid.ID, _ [][]*x509.Certificate) error {
		if slices.Contains(ids, id) || (!td.IsZero() && id.MemberOf(td)) {
			return nil
		}
		return fmt.Errorf("server: mTLS caller %s is not in listen.mtls", id)
	}, nil
}
