package oci

import (
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// Scheme prefixes a bundle location in a registry.
const Scheme = "oci://"

// IsReference reports whether loc names a registry location (oci://...).
func IsReference(loc string) bool { return strings.HasPrefix(loc, Scheme) }

// Reference is a parsed oci://host[:port]/repository:tag or
// oci://host[:port]/repository@sha256:<hex>.
type Reference struct {
	ref name.Reference
}

// ParseReference parses loc strictly: the registry host and the tag or
// digest are required (no defaulting to Docker Hub or "latest").
// allowHTTP lets requests to this registry use plain http.
func ParseReference(loc string, allowHTTP bool) (Reference, error) {
	rest, ok := strings.CutPrefix(loc, Scheme)
	if !ok {
		return Reference{}, wrap(fmt.Errorf("%w: want %shost[:port]/repository:tag", ErrReference, Scheme))
	}
	host, _, _ := strings.Cut(rest, "/")
	if !strings.ContainsAny(host, ".:") && host != "localhost" {
		return Reference{}, wrap(fmt.Errorf("%w: %q has no registry host (want %shost[:port]/repository:tag)", ErrReference, loc, Scheme))
	}
	opts := []name.Option{name.StrictValidation}
	if allowHTTP {
		opts = append(opts, name.Insecure)
	}
	ref, err := name.ParseReference(rest, opts...)
	if err != nil {
		return Reference{}, wrap(fmt.Errorf("%w: %q: %v", ErrReference, loc, err))
	}
	return Reference{ref: ref}, nil
}

// String is the location as given to ParseReference (it holds no
// credentials: registries authenticate with headers).
func (r Reference) String() string { return Scheme + r.ref.String() }
