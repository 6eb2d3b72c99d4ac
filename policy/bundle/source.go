package bundle

import (
	"context"
	"errors"
)

// Source delivers a bundle archive and its detached signature as a pair.
// The Fetcher polls it; NewFetcher uses an HTTP source for URL. Every pair
// passes the same signature, sequence, expiry, content and last-known-good
// rules whatever its Source.
type Source interface {
	// Fetch returns the current pair. known is the Version of the last
	// pair the Fetcher accepted ("" if none); a Source that can tell
	// nothing changed since then returns Fetched{Unchanged: true}.
	// Errors wrapping ErrUnsigned or ErrBadSignature count as signature
	// failures, ErrTooLarge or ErrInvalid as content, ErrStatus as a
	// server refusal, anything else as a network failure.
	Fetch(ctx context.Context, known string) (Fetched, error)
	// String names the source in logs and errors, without credentials.
	String() string
}

// Fetched is what a Source delivered.
type Fetched struct {
	Archive, Signature []byte
	// Version identifies the pair at the source (an HTTP ETag, an OCI
	// manifest digest); the Fetcher passes it back as known.
	Version string
	// Unchanged means the source still serves the pair known; Archive and
	// Signature are then empty.
	Unchanged bool
}

// ErrStatus means the bundle server answered, with an error status.
var ErrStatus = errors.New("unexpected server status")

// sourceFailure classifies an error from a Source (see Source.Fetch).
func sourceFailure(err error) *stepError {
	var se *stepError
	if errors.As(err, &se) {
		return se
	}
	result := resultNetwork
	switch {
	case errors.Is(err, ErrUnsigned), errors.Is(err, ErrBadSignature):
		result = resultSignature
	case errors.Is(err, ErrTooLarge), errors.Is(err, ErrInvalid):
		result = resultContent
	case errors.Is(err, ErrStatus):
		result = resultStatus
	}
	return fail(result, "fetch", err)
}
