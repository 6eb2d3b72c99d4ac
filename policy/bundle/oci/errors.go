package oci

import (
	"errors"
	"fmt"
)

// ErrReference means a bundle location is not an oci://host/repository:tag
// (or @sha256:digest) reference.
var ErrReference = errors.New("not an oci:// reference")

// ErrPlainHTTP means a request would have used plain http without
// Options.AllowInsecureHTTP.
var ErrPlainHTTP = errors.New("refusing plain http to the registry")

// wrap adds the package name to err.
func wrap(err error) error {
	return fmt.Errorf("oci: %w", err)
}
