package config

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"gopkg.in/yaml.v3"

	"github.com/tollgate-authz/tollgate/authz"
)

// fileErrs collects semantic errors, each pointing at the key's line.
type fileErrs struct {
	name string
	root *yaml.Node
	errs []error
}

// add records an error for the key at path, e.g. "identity.jwt.audiences"
// or "signals[1].type".
func (f *fileErrs) add(path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	f.errs = append(f.errs, fmt.Errorf("%s:%d: %s: %s", f.name, lineOf(f.root, path), path, msg))
}

func (f *fileErrs) err() error {
	if len(f.errs) == 0 {
		return nil
	}
	return fmt.Errorf("config: %w: %w", ErrInvalid, errors.Join(f.errs...))
}

// lineOf finds the line of the deepest node of path that exists.
func lineOf(n *yaml.Node, path string) int {
	line := n.Line
	for _, part := range strings.Split(path, ".") {
		key, idx := part, -1
		if i := strings.IndexByte(part, '['); i >= 0 {
			key = part[:i]
			idx, _ = strconv.Atoi(strings.TrimSuffix(part[i+1:], "]"))
		}
		next := mapValue(n, key)
		if next == nil {
			return line
		}
		n, line = next, next.Line
		if idx >= 0 {
			if n.Kind != yaml.SequenceNode || idx >= len(n.Content) {
				return line
			}
			n, line = n.Content[idx], n.Content[idx].Line
		}
	}
	return line
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func (c *Config) validate(f *fileErrs) error {
	c.validateListen(f)
	c.validateLimits(f)
	c.validateIdentity(f)
	c.validateSourcePrincipal(f)
	c.validatePolicy(f)
	if len(c.Manifests) == 0 {
		f.add("manifests", "at least one app-team manifest is required")
	}
	c.validateSignals(f)
	c.validateLog(f)
	c.validateHTTP(f)
	c.validateAdmin(f)
	c.validateAuthZEN(f)
	c.validateExtProc(f)
	if c.Runtime.GCPercent < 0 || c.Runtime.MemoryLimitMiB < 0 {
		f.add("runtime", "gc_percent and memory_limit_mib must not be negative")
	}
	if h := c.Runtime.MemoryHeadroomMiB; h != 0 && (h < minMemoryHeadroomMiB || h > maxMemoryHeadroomMiB) {
		f.add("runtime.memory_headroom_mib", "must be between %d and %d (MiB)", minMemoryHeadroomMiB, maxMemoryHeadroomMiB)
	}
	return f.err()
}

func (c *Config) validateListen(f *fileErrs) {
	if m := c.Listen.MTLS; m != nil {
		if len(m.AllowedIDs) == 0 && m.AllowedTrustDomain == "" {
			f.add("listen.mtls", "name allowed_ids or allowed_trust_domain: an mTLS listener that admits anyone is not allowed")
		}
		for i, id := range m.AllowedIDs {
			if _, err := spiffeid.FromString(id); err != nil {
				f.add(fmt.Sprintf("listen.mtls.allowed_ids[%d]", i), "not a SPIFFE ID: %v", err)
			}
		}
		if td := m.AllowedTrustDomain; td != "" {
			if _, err := spiffeid.TrustDomainFromString(td); err != nil {
				f.add("listen.mtls.allowed_trust_domain", "%v", err)
			}
		}
		if c.Identity.WorkloadAPI == nil {
			f.add("listen.mtls", "needs identity.workload_api for Tollgate's own SVID")
		}
	}
}

func (c *Config) validateIdentity(f *fileErrs) {
	id := c.Identity
	if len(id.TrustDomains) == 0 {
		f.add("identity.trust_domains", "at least one trust domain is required")
	}
	for i, td := range id.TrustDomains {
		if _, err := spiffeid.TrustDomainFromString(td); err != nil {
			f.add(fmt.Sprintf("identity.trust_domains[%d]", i), "%v", err)
		}
	}
	if len(id.Bundles) == 0 && id.WorkloadAPI == nil {
		f.add("identity", "no trust bundle source: set bundles or workload_api")
	}
	for i, b := range id.Bundles {
		p := fmt.Sprintf("identity.bundles[%d]", i)
		if _, err := spiffeid.TrustDomainFromString(b.TrustDomain); err != nil {
			f.add(p+".trust_domain", "%v", err)
		}
		if b.X509PEM == "" && b.JWKS == "" && b.SPIFFEBundle == "" {
			f.add(p, "set x509_pem, jwks or spiffe_bundle")
		}
	}
	if j := id.JWT; j != nil && len(j.Audiences) == 0 {
		f.add("identity.jwt.audiences", "at least one audience is required (an empty list would skip the audience check)")
	}
	if x := id.XFCC; x != nil {
		c.validateXFCC(f, x)
	}
	if w := id.WorkloadAPI; w != nil {
		validateWorkloadAPI(f, w)
	}
	if d := id.Delegation; d != nil {
		c.validateDelegation(f, d)
	}
	for i, fed := range id.Federation {
		c.validateFederation(f, fmt.Sprintf("identity.federation[%d]", i), fed)
	}
}

func (c *Config) validateXFCC(f *fileErrs, x *XFCC) {
	c.renameTrustedAddresses(f, x)
	if len(x.TrustedHops) == 0 && len(x.TrustedAddresses) == 0 {
		f.add("identity.xfcc", "name trusted_hops or trusted_proxies: XFCC from anyone is never trusted")
	}
	for i, id := range x.TrustedHops {
		if _, err := spiffeid.FromString(id); err != nil {
			f.add(fmt.Sprintf("identity.xfcc.trusted_hops[%d]", i), "not a SPIFFE ID: %v", err)
		}
	}
	validatePrefixes(f, x.prefixesKey(), x.TrustedAddresses)
	if len(x.TrustedHops) > 0 && len(x.TrustedAddresses) == 0 && c.Listen.MTLS == nil {
		f.add("identity.xfcc.trusted_hops", "a hop is the verified mTLS caller of Check: set listen.mtls, or use trusted_proxies")
	}
	if x.Element != "last" && x.Element != "first" {
		f.add("identity.xfcc.element", "must be last or first, not %q", x.Element)
	}
	if x.Element == "first" && len(x.TrustedHops) == 0 {
		f.add("identity.xfcc.element", "first needs trusted_hops: every element after the first must be added by a trusted proxy")
	}
}

func (c *Config) validateFederation(f *fileErrs, p string, fed Federation) {
	if _, err := spiffeid.TrustDomainFromString(fed.TrustDomain); err != nil {
		f.add(p+".trust_domain", "%v", err)
	} else if !slices.Contains(c.Identity.TrustDomains, fed.TrustDomain) {
		f.add(p+".trust_domain", "%s is not in identity.trust_domains, so its identities would all be refused", fed.TrustDomain)
	}
	if fed.RefreshInterval < 0 {
		f.add(p+".refresh_interval", "must not be negative")
	}
	validateFederationAge(f, p, fed)
	if !strings.HasPrefix(fed.URL, "https://") {
		f.add(p+".url", "must be an https:// URL")
	}
	switch fed.Profile {
	case "https_web":
	case "https_spiffe":
		if _, err := spiffeid.FromString(fed.EndpointID); err != nil {
			f.add(p+".endpoint_spiffe_id", "https_spiffe needs the endpoint's SPIFFE ID: %v", err)
		}
	default:
		f.add(p+".profile", "must be https_web or https_spiffe, not %q", fed.Profile)
	}
}

func validateWorkloadAPI(f *fileErrs, w *WorkloadAPI) {
	if w.Socket != "" && !strings.HasPrefix(w.Socket, "unix://") && !strings.HasPrefix(w.Socket, "tcp://") {
		f.add("identity.workload_api.socket", "must be unix:///path (or tcp://host:port), not %q", w.Socket)
	}
	if w.StartTimeout < 0 || w.MaxBundleAge < 0 {
		f.add("identity.workload_api", "durations must not be negative")
	}
}

func validatePrefixes(f *fileErrs, path string, cidrs []string) {
	for i, s := range cidrs {
		if _, err := netip.ParsePrefix(s); err != nil {
			if _, err2 := netip.ParseAddr(s); err2 != nil {
				f.add(fmt.Sprintf("%s[%d]", path, i), "not an address or CIDR: %q", s)
			}
		}
	}
}

func (c *Config) validateSignals(f *fileErrs) {
	seen := map[string]bool{}
	for i, s := range c.Signals {
		p := fmt.Sprintf("signals[%d]", i)
		if s.Name == "" || seen[s.Name] {
			f.add(p+".name", "must be set and unique")
		}
		seen[s.Name] = true
		switch s.From {
		case "context_extension", "metadata", "header":
		default:
			f.add(p+".from", "must be context_extension, metadata or header, not %q", s.From)
		}
		switch s.Type {
		case "", "string", "long", "bool":
		default:
			f.add(p+".type", "must be string, long or bool, not %q", s.Type)
		}
		if s.Key == "" {
			f.add(p+".key", "required")
		} else if why := authz.SignalHeaderProblem(s.Key); s.From == "header" && why != "" {
			f.add(p+".key", "%q %s", s.Key, why)
		}
	}
}

func (c *Config) validateLog(f *fileErrs) {
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		f.add("log.level", "must be debug, info, warn or error, not %q", c.Log.Level)
	}
	switch c.Log.DecisionFormat {
	case "json", "ocsf":
	default:
		f.add("log.decision_format", "must be json or ocsf, not %q", c.Log.DecisionFormat)
	}
}

func (c *Config) validateHTTP(f *fileErrs) {
	h := c.HTTP
	if h.Listen == "" {
		return
	}
	switch h.Style {
	case "envoy", "nginx", "caddy", "traefik":
	default:
		f.add("http_authz.style", "must be envoy, nginx, caddy or traefik, not %q", h.Style)
	}
	if len(h.TrustedProxies) == 0 {
		f.add("http_authz.trusted_proxies", "required: only named proxies may call the HTTP mode")
	}
	validatePrefixes(f, "http_authz.trusted_proxies", h.TrustedProxies)
}

// validateExtProc bounds ext_proc.max_response_bytes: a buffered body is
// one gRPC message, so it must fit listen.limits.max_recv_bytes.
func (c *Config) validateExtProc(f *fileErrs) {
	n := c.ExtProc.MaxResponseBytes
	if n == 0 {
		return
	}
	if n < 1<<10 || n > 64<<20 {
		f.add("ext_proc.max_response_bytes", "must be between 1024 and 67108864, not %d", n)
	}
	if recv := c.Listen.Limits.MaxRecvBytes; recv > 0 && n >= recv {
		f.add("ext_proc.max_response_bytes", "must be less than listen.limits.max_recv_bytes (%d): Envoy sends a buffered body in one gRPC message", recv)
	}
}

// maxSettle bounds policy.settle_interval: a new version waits that long.
const maxSettle = 5 * time.Minute
