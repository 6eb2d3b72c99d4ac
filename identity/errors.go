package identity

import (
	"errors"
	"fmt"
)

// Reason is a bounded, metric-safe label for why verification failed.
type Reason string

const (
	ReasonMissing         Reason = "missing"
	ReasonMalformed       Reason = "malformed"
	ReasonUntrustedDomain Reason = "untrusted_domain"
	ReasonBadSignature    Reason = "bad_signature"
	ReasonExpired         Reason = "expired"
	ReasonNotYetValid     Reason = "not_yet_valid"
	ReasonWrongAudience   Reason = "wrong_audience"
	ReasonUnsupportedAlg  Reason = "unsupported_alg"
	ReasonIncompleteChain Reason = "incomplete_chain"
	ReasonUntrustedHop    Reason = "untrusted_hop"
	ReasonNotSVID         Reason = "not_svid"
	ReasonInternal        Reason = "internal"
)

// ErrNoIdentity is returned (wrapped in *Error with ReasonMissing) when a
// request carries no credential at all.
var ErrNoIdentity = errors.New("no identity credential presented")

// ErrPrincipalIgnored (which is also ErrNoIdentity) is returned when the
// only credential is Envoy's source principal and
// Config.TrustSourcePrincipal is false, so the caller learns why.
var ErrPrincipalIgnored = fmt.Errorf("%w: the source principal is ignored (identity.trust_source_principal is false)", ErrNoIdentity)

// Error is a verification failure with a bounded reason.
type Error struct {
	Source Source // empty when no credential was presented
	Reason Reason
	Err    error
}

func (e *Error) Error() string {
	if e.Source == "" {
		return fmt.Sprintf("identity: %s: %v", e.Reason, e.Err)
	}
	return fmt.Sprintf("identity: %s: %s: %v", e.Source, e.Reason, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// ReasonOf returns the bounded reason of err, or ReasonInternal.
func ReasonOf(err error) Reason {
	var ie *Error
	if errors.As(err, &ie) {
		return ie.Reason
	}
	return ReasonInternal
}

// Sentinel errors wrapped in *Error.Err (or returned by constructors), so
// callers and tests can use errors.Is. Their text never holds credential
// or claim values.
var (
	// ErrInvalidConfig wraps every Config and BundleFile validation error.
	ErrInvalidConfig = errors.New("invalid configuration")
	// ErrNoBundle means no trust bundle is configured for a trust domain.
	ErrNoBundle = errors.New("no trust bundle for trust domain")
	// ErrMalformed means a credential could not be decoded or parsed.
	ErrMalformed = errors.New("malformed credential")
	// ErrNotSVID means a certificate is not a valid X.509-SVID leaf.
	ErrNotSVID = errors.New("certificate is not an X.509-SVID")
	// ErrUntrustedDomain means the identity's trust domain is not accepted.
	ErrUntrustedDomain = errors.New("trust domain not accepted")
	// ErrExpired means the credential has expired.
	ErrExpired = errors.New("credential expired")
	// ErrNotYetValid means the credential is not valid yet.
	ErrNotYetValid = errors.New("credential not yet valid")
	// ErrBadSignature means the signature did not verify against the bundle.
	ErrBadSignature = errors.New("signature not verified by trust bundle")
	// ErrIncompleteChain means the leaf's issuer is not a bundle root and no
	// intermediate was supplied.
	ErrIncompleteChain = errors.New("certificate chain incomplete")
	// ErrWrongAudience means the JWT audience is not one Tollgate accepts.
	ErrWrongAudience = errors.New("JWT audience not accepted")
	// ErrUnsupportedAlg means the JWT alg is not an asymmetric JWS algorithm.
	ErrUnsupportedAlg = errors.New("JWT algorithm not allowed")
)

// fail builds a verification *Error wrapping sentinel with detail.
func fail(src Source, reason Reason, sentinel error, detail string) *Error {
	if detail == "" {
		return &Error{Source: src, Reason: reason, Err: sentinel}
	}
	return &Error{Source: src, Reason: reason, Err: fmt.Errorf("%w: %s", sentinel, detail)}
}

// configErr wraps a configuration problem with the package prefix.
func configErr(format string, args ...any) error {
	return fmt.Errorf("identity: %w: "+format, append([]any{ErrInvalidConfig}, args...)...)
}
