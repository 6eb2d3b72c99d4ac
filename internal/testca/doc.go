// Package testca is a small in-memory SPIFFE certificate authority for tests.
//
// It mints, for one trust domain, a root CA, optional intermediate CAs,
// X.509-SVIDs (ECDSA P-256) and JWT-SVIDs (ES256 with a key ID), and exposes
// the matching x509bundle.Bundle and jwtbundle.Bundle (JWKS). It can also
// build deliberately broken credentials (expired, CA-as-leaf, two URI SANs,
// alg "none", HS256, missing or unknown kid) so that verifiers can be tested
// against them. It is modelled on go-spiffe's internal/test/ca.go.
//
// Everything here fails the test (tb.Fatal) on error; it is not for
// production use.
package testca
