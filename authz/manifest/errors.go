package manifest

import (
	"errors"
	"fmt"
)

// Sentinel errors. Errors returned by this package wrap one of them, so
// callers can test with errors.Is.
var (
	// ErrInvalid is wrapped by every manifest decoding or
	// validation error.
	ErrInvalid = errors.New("invalid manifest")
	// ErrGrant is wrapped (together with ErrInvalid) when
	// a manifest tries to grant access: a permit/forbid/principal key or
	// Cedar policy text. Manifests only declare actions and resources;
	// access is granted by IAM's Cedar policies.
	ErrGrant = errors.New("manifests declare actions and resources; they cannot grant access")
	// ErrBadPath is wrapped by every *PathError.
	ErrBadPath = errors.New("malformed request path")
	// ErrNoRoute is returned by Manifest.Match when no route matches.
	ErrNoRoute = errors.New("no route matches the request")
)

func wrap(err error) error { return fmt.Errorf("manifest: %w", err) }
