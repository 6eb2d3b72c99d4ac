// Package subject verifies the credential of the party a workload acts
// for: an OIDC/OAuth JWT access token from a configured issuer, whose
// issuer, audience, expiry, not-before and algorithm are checked with
// go-oidc (keys from discovery, cached and refreshed, or from a static
// JWKS file). It reads the RFC 8693 act chain in full and checks that the
// token was issued to the calling workload (Bind).
//
// It also verifies OAuth Transaction Tokens (draft-ietf-oauth-transaction-tokens,
// TxnVerifier) with the same key handling: typ txntoken+jwt, the token
// service's keys and algorithms, aud naming the trust domain, exp, iat and
// a short max lifetime; and binds them to the caller by req_wl, the
// workloads the token service issued them to (BindTxn).
//
// The package knows nothing of Envoy or Cedar: authz turns a Subject into
// the Cedar context.
package subject
