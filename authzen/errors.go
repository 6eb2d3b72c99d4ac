package authzen

import (
	"errors"
	"fmt"
)

// ErrBadRequest is the root of every refused request body.
var ErrBadRequest = errors.New("bad request")

// ErrConfig is a bad Options value.
var ErrConfig = errors.New("bad configuration")

func badRequest(format string, args ...any) error {
	return fmt.Errorf("authzen: %w: %s", ErrBadRequest, fmt.Sprintf(format, args...))
}

func wrap(err error) error { return fmt.Errorf("authzen: %w", err) }

func itoa(i int) string { return fmt.Sprint(i) }
