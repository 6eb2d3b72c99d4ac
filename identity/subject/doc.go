// Package subject verifies the credential of the party a workload acts
// for: an OIDC/OAuth JWT access token from a configured issuer, whose
// issuer, audience, expiry, not-before and algorithm are checked with
// go-oidc (keys from discovery, cached and refreshed, or from a static
// JWKS file). It reads the RFC 8693 act chain in full and checks that the
// token was issued to the calling workload (Bind).
//
// The package knows nothing of Envoy or Cedar: authz turns a Subject into
// the Cedar context.
package subject
