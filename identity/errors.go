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
