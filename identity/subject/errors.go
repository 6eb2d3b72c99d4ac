package subject

import (
	"errors"
	"fmt"
)

// Reason is a bounded, metric-safe cause of a refused subject token.
type Reason string

// The reasons a subject token is refused.
const (
	ReasonInvalid  Reason = "invalid" // malformed, bad signature, bad algorithm, bad act chain
	ReasonExpired  Reason = "expired" // exp in the past
	ReasonNotYet   Reason = "not_yet_valid"
	ReasonIssuer   Reason = "issuer"   // iss is not a configured issuer
	ReasonAudience Reason = "audience" // no configured audience in aud
	ReasonUnbound  Reason = "unbound"  // not issued to the calling workload
	ReasonLifetime Reason = "lifetime" // a Txn-Token whose exp - iat exceeds the max lifetime
)

// Error is a refused subject token. Its message never holds the token.
type Error struct {
	Reason Reason
	Err    error
}

func (e *Error) Error() string { return fmt.Sprintf("subject: %s: %v", e.Reason, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// Sentinels for the fixed cases, wrapped by *Error.
var (
	ErrConfig  = errors.New("invalid subject verifier configuration")
	ErrActor   = errors.New("malformed act claim")
	ErrUnbound = errors.New("token not issued to the calling workload")
	// ErrInsecureKeys: discovery or the JWKS would be read over plain
	// http from a host that is not loopback.
	ErrInsecureKeys = errors.New("issuer keys over an insecure URL")
)

// ReasonOf returns the reason of a *Error in err's chain, or ReasonInvalid:
// an unexplained failure is still a refusal.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		switch e.Reason {
		case ReasonInvalid, ReasonExpired, ReasonNotYet, ReasonIssuer, ReasonAudience, ReasonUnbound, ReasonLifetime:
			return e.Reason
		}
	}
	return ReasonInvalid
}

func fail(r Reason, format string, args ...any) error {
	return &Error{Reason: r, Err: fmt.Errorf(format, args...)}
}
