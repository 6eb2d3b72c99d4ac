package server

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/internal/adminui"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/policy"
)

// uiHandler is the admin page (admin.ui), or nil when it is off.
func (p *parts) uiHandler() (http.Handler, error) {
	if p.ring == nil {
		return nil, nil
	}
	return adminui.New(adminui.Options{Ring: p.ring, Status: uiStatus{p}})
}

// uiStatus reads the running parts for the admin page.
type uiStatus struct{ p *parts }

var _ adminui.StatusSource = uiStatus{}

// Status reports the policy versions, the exceptions in force and the
// trust bundles of every configured trust domain.
func (u uiStatus) Status() adminui.Status {
	now := time.Now()
	cfg := u.p.cfg
	st := adminui.Status{Policy: uiPolicy(u.p.source.store.Current(), policySourceName(cfg.Policy.Dir, cfg.Policy.Bundle))}
	if sh := cfg.Policy.Shadow; sh != nil && u.p.shadow != nil {
		sp := uiPolicy(u.p.shadow.store.Current(), policySourceName(sh.Dir, sh.Bundle))
		st.Shadow = &sp
	}
	if snap := u.p.source.store.Current(); snap != nil {
		for _, x := range snap.ActiveExceptions(now) {
			st.Exceptions = append(st.Exceptions, adminui.Exception{Policy: x.PolicyID, Ticket: x.Ticket,
				ApprovedBy: x.ApprovedBy, Expires: x.Expires})
		}
	}
	for _, td := range configuredTrustDomains(&cfg.Identity) {
		st.Bundles = append(st.Bundles, u.p.sources.bundleStatus(td))
	}
	return st
}

func uiPolicy(snap *policy.Snapshot, source string) adminui.Policy {
	if snap == nil {
		return adminui.Policy{Source: source}
	}
	return adminui.Policy{Loaded: true, Version: snap.Version(), Hash: snap.Hash(), Source: source,
		LoadedAt: snap.LoadedAt(), Policies: snap.Len()}
}

// policySourceName is the directory, or the bundle URL without userinfo,
// query or fragment (which may carry credentials).
func policySourceName(dir string, b *config.PolicyBundle) string {
	if b == nil {
		return dir
	}
	u, err := url.Parse(b.URL)
	if err != nil {
		return "bundle (unparsable URL)"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// configuredTrustDomains lists identity.trust_domains and the trust
// domains of bundle files and federation, sorted, each once.
func configuredTrustDomains(c *config.Identity) []string {
	tds := slices.Clone(c.TrustDomains)
	for _, b := range c.Bundles {
		tds = append(tds, b.TrustDomain)
	}
	for _, f := range c.Federation {
		tds = append(tds, f.TrustDomain)
	}
	slices.Sort(tds)
	return slices.Compact(tds)
}

// bundleStatus names the source that serves td's X.509 bundle, in the
// chain's order (federation, Workload API, files), and its age.
func (s *identitySources) bundleStatus(name string) adminui.Bundle {
	out := adminui.Bundle{TrustDomain: name}
	td, err := spiffeid.TrustDomainFromString(name)
	if err != nil {
		return out
	}
	type source struct {
		name    string
		src     x509bundle.Source
		updated func() time.Time
	}
	var srcs []source
	if s.federation != nil {
		srcs = append(srcs, source{"federation", s.federation, func() time.Time { return s.federation.LastUpdate(td) }})
	}
	if s.workload != nil {
		srcs = append(srcs, source{"workload_api", s.workload, s.workload.LastUpdate})
	}
	if s.files != nil {
		srcs = append(srcs, source{"files", s.files, s.reloader.changedAt})
	}
	for _, src := range srcs {
		if b, err := src.src.GetX509BundleForTrustDomain(td); err == nil {
			out.Source, out.Present, out.Authorities, out.UpdatedAt = src.name, true, len(b.X509Authorities()), src.updated()
			return out
		}
	}
	return out
}
