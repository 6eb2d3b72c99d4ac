// Package identity verifies SPIFFE workload identities presented to Tollgate.
//
// A Verifier turns untrusted Credentials (what a proxy forwarded) into a
// verified Identity. Sources are tried strongest first, and the first one
// present decides; a present but invalid credential is an error and never
// falls back to a weaker source:
//
//  1. X.509-SVID from the forwarded peer certificate (URL-encoded PEM);
//  2. the proxy's source principal, only when Config.TrustSourcePrincipal;
//  3. x-forwarded-client-cert, only from a trusted hop (Config.XFCC);
//  4. JWT-SVID from "Authorization: Bearer <token>", when JWT bundles are set.
//
// Failures are *Error values with a bounded Reason suitable for metrics.
// Successful verifications are cached (bounded, until the credential
// expires); call Verifier.InvalidateCache when trust bundles change (the
// rotating sources below notify subscribers registered with OnChange).
//
// # XFCC
//
// The header is considered only when Credentials.Hop (the verified SPIFFE
// ID of the mTLS caller of Check) is in XFCCConfig.TrustedHops, or
// Credentials.HopAddress is inside TrustedAddresses. From anyone else it is
// ignored, as if absent, and counted in
// tollgate_identity_xfcc_ignored_total{reason="untrusted_hop"}. From a
// trusted hop, a malformed header is a ReasonMalformed denial. The element
// is chosen by xfcc.Select (the last by default: the one the trusted hop
// wrote) and its Cert (plus Chain) is verified against the X.509 bundles.
// An element with a URI but no Cert is accepted only with AllowURIOnly,
// which believes the hop on its word.
//
// # Intermediates
//
// Envoy's source.certificate carries only the client's leaf. When the
// trust domain's SVIDs are issued by an intermediate CA (SPIRE with an
// UpstreamAuthority) the leaf cannot be verified from it alone: such a
// request is denied with ReasonIncompleteChain. Forward the chain in XFCC
// (Envoy forward_client_cert_details with set_current_client_cert_details
// chain: true) or add the intermediate to the trust bundle.
//
// # Trust bundles
//
// FileBundles loads bundles from PEM, JWKS or SPIFFE bundle files.
// WorkloadAPI follows a SPIFFE Workload API (a SPIRE agent): bundles and
// Tollgate's own X.509-SVID rotate without a restart, the last bundles stay
// in use while the agent is away, and Ready fails before the first update
// and once MaxBundleAge passes without one (gauge
// tollgate_identity_bundle_age_seconds). Federation fetches foreign trust
// domains' bundles from SPIFFE bundle endpoints (https_web or
// https_spiffe) and refreshes them. Only a 200 answer with a JSON content
// type, a body of at most MaxFederationBundleBytes and at least one
// authority is a bundle; anything else (an error page, a redirect, a
// timeout after FetchTimeout, an empty key set) is a failed fetch that
// keeps the bundle in use. Each bundle's age is a gauge
// (tollgate_identity_federation_bundle_age_seconds{trust_domain}) and, with
// FederationEndpoint.MaxBundleAge, gates Federation.Ready. Chain combines
// sources, first match wins.
//
// Tokens, Authorization headers and JWT claim values never appear in logs,
// errors or metric labels.
package identity
