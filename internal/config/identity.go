package config

import "time"

// Identity configures how callers are identified.
type Identity struct {
	// TrustDomains lists the trust domains whose identities are accepted.
	TrustDomains []string `yaml:"trust_domains"`
	// Bundles are trust bundles read from files.
	Bundles []Bundle `yaml:"bundles"`
	// WorkloadAPI takes bundles (and Tollgate's own SVID) from a SPIFFE
	// Workload API, such as a SPIRE agent.
	WorkloadAPI *WorkloadAPI `yaml:"workload_api"`
	// Federation fetches bundles of foreign trust domains from SPIFFE
	// bundle endpoints.
	Federation []Federation `yaml:"federation"`
	// TrustSourcePrincipal accepts Envoy's source.principal. Enable it
	// only when Envoy terminates the caller's mTLS itself.
	TrustSourcePrincipal bool `yaml:"trust_source_principal"`
	// TrustSourcePrincipalFromAnyCaller acknowledges that
	// trust_source_principal is set on a gRPC listener other hosts can
	// reach (not a unix socket or loopback) without listen.mtls naming its
	// callers in allowed_ids: anyone who reaches the port then chooses
	// their own identity. Without it such a config is refused. Default
	// false; only true or false is accepted.
	TrustSourcePrincipalFromAnyCaller bool `yaml:"trust_source_principal_from_any_caller"`
	// JWT enables JWT-SVIDs in Authorization: Bearer.
	JWT *JWT `yaml:"jwt"`
	// XFCC enables x-forwarded-client-cert from trusted hops.
	XFCC *XFCC `yaml:"xfcc"`
	// Delegation enables subject tokens: the party a workload acts for
	// (delegation.go). Default off: the header is ignored.
	Delegation *Delegation `yaml:"delegation"`
}

// Bundle is one trust domain's bundle files.
type Bundle struct {
	TrustDomain  string `yaml:"trust_domain"`
	X509PEM      string `yaml:"x509_pem"`
	JWKS         string `yaml:"jwks"`
	SPIFFEBundle string `yaml:"spiffe_bundle"`
}

// WorkloadAPI configures the Workload API client.
type WorkloadAPI struct {
	// Socket is unix:///path; empty means SPIFFE_ENDPOINT_SOCKET.
	Socket string `yaml:"socket"`
	// StartTimeout bounds the wait for the first update at start.
	StartTimeout time.Duration `yaml:"start_timeout"`
	// MaxBundleAge makes Tollgate unready when no update arrived for so long.
	MaxBundleAge time.Duration `yaml:"max_bundle_age"`
}

// Federation is one foreign trust domain's bundle endpoint.
type Federation struct {
	TrustDomain string `yaml:"trust_domain"`
	URL         string `yaml:"url"`
	// Profile is https_web or https_spiffe.
	Profile string `yaml:"profile"`
	// EndpointID is the SPIFFE ID of the endpoint (https_spiffe).
	EndpointID string `yaml:"endpoint_spiffe_id"`
	// CAFile adds roots for https_web (tests); empty uses the system roots.
	CAFile          string        `yaml:"ca_file"`
	RefreshInterval time.Duration `yaml:"refresh_interval"`
	// MaxBundleAge makes Tollgate unready before the first successful
	// fetch and once none succeeded for so long (default 0: the partner's
	// bundle age does not gate readiness). Longer than refresh_interval.
	MaxBundleAge time.Duration `yaml:"max_bundle_age"`
}

// JWT configures JWT-SVID verification.
type JWT struct {
	// Audiences lists the accepted audiences; at least one is required.
	Audiences []string `yaml:"audiences"`
	// Claims lists claim names copied into context.jwt.
	Claims []string `yaml:"claims"`
	// Forward keeps the verified JWT-SVID in Authorization when Envoy
	// forwards an allowed request (default false: ext_authz removes it).
	Forward bool `yaml:"forward"`
}

// XFCC configures trust in x-forwarded-client-cert.
type XFCC struct {
	// TrustedHops lists SPIFFE IDs of proxies allowed to send XFCC.
	TrustedHops []string `yaml:"trusted_hops"`
	// TrustedAddresses is identity.xfcc.trusted_proxies: source addresses
	// (CIDRs) of proxies allowed to send XFCC. The key is named as
	// http_authz.trusted_proxies, the same idea.
	TrustedAddresses []string `yaml:"trusted_proxies"`
	// DeprecatedTrustedAddresses is the old name of trusted_proxies. It
	// still loads, with a warning; setting both is an error.
	DeprecatedTrustedAddresses []string `yaml:"trusted_addresses"`
	// Element is "last" (default: the client closest to the trusted hop) or "first".
	Element string `yaml:"element"`
	// AllowURIOnly accepts an element with a URI but no Cert.
	AllowURIOnly bool `yaml:"allow_uri_only"`
}
