// Package identity verifies SPIFFE workload identities presented to Tollgate.
//
// A Verifier turns untrusted Credentials (what a proxy forwarded) into a
// verified Identity. Sources are tried strongest first, and the first one
// present decides; a present but invalid credential is an error and never
// falls back to a weaker source:
//
//  1. X.509-SVID from the forwarded peer certificate (URL-encoded PEM);
//  2. the proxy's source principal, only when Config.TrustSourcePrincipal;
//  3. x-forwarded-client-cert (hook only; not integrated yet, ignored);
//  4. JWT-SVID from "Authorization: Bearer <token>", when JWT bundles are set.
//
// Failures are *Error values with a bounded Reason suitable for metrics.
// Successful verifications are cached (bounded, until the credential
// expires); call Verifier.InvalidateCache when trust bundles change.
//
// FileBundles loads trust bundles from PEM, JWKS or SPIFFE bundle files and
// serves them as x509bundle.Source and jwtbundle.Source.
//
// Tokens, Authorization headers and JWT claim values never appear in logs,
// errors or metric labels.
package identity
