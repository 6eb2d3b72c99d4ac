package identity

import (
	"fmt"

	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// BundleSource serves X.509 and JWT trust bundles. FileBundles, WorkloadAPI
// and Federation implement it.
type BundleSource interface {
	x509bundle.Source
	jwtbundle.Source
}

var (
	_ BundleSource = (*FileBundles)(nil)
	_ BundleSource = (*WorkloadAPI)(nil)
	_ BundleSource = (*Federation)(nil)
	_ BundleSource = Chain(nil)
)

// Chain combines bundle sources: a trust domain's bundle comes from the
// first source that has one. Put the more authoritative source first (for
// example federation before the bootstrap files).
type Chain []BundleSource

// GetX509BundleForTrustDomain implements x509bundle.Source.
func (c Chain) GetX509BundleForTrustDomain(td spiffeid.TrustDomain) (*x509bundle.Bundle, error) {
	for _, s := range c {
		if b, err := s.GetX509BundleForTrustDomain(td); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("identity: %w: X.509 %s", ErrNoBundle, td.Name())
}

// GetJWTBundleForTrustDomain implements jwtbundle.Source.
func (c Chain) GetJWTBundleForTrustDomain(td spiffeid.TrustDomain) (*jwtbundle.Bundle, error) {
	for _, s := range c {
		if b, err := s.GetJWTBundleForTrustDomain(td); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("identity: %w: JWT %s", ErrNoBundle, td.Name())
}
