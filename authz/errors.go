package authz

import (
	"errors"
	"fmt"
)

// Sentinel errors. Errors returned by this package wrap one of them, so
// callers can test with errors.Is.
var (
	// ErrConfig is wrapped when an Engine Config is invalid.
	ErrConfig = errors.New("invalid engine config")
)

func wrap(err error) error { return fmt.Errorf("authz: %w", err) }
