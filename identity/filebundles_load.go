package identity

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/go-jose/go-jose/v4"
	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/bundle/spiffebundle"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// loadSets reads every spec; any error aborts the whole load.
func loadSets(specs []BundleFile) (*bundleSets, error) {
	sets := &bundleSets{x509: x509bundle.NewSet(), jwt: jwtbundle.NewSet()}
	for _, s := range specs {
		if err := s.load(sets); err != nil {
			return nil, err
		}
	}
	return sets, nil
}

func (s BundleFile) load(sets *bundleSets) error {
	td := spiffeid.RequireTrustDomainFromString(s.TrustDomain)
	if s.SPIFFEBundle != "" {
		b, err := spiffebundle.Load(td, s.SPIFFEBundle)
		if err != nil {
			return bundleFileErr(s.TrustDomain, "SPIFFE bundle", s.SPIFFEBundle, err)
		}
		if b.Empty() {
			return bundleFileErr(s.TrustDomain, "SPIFFE bundle", s.SPIFFEBundle, errEmptyBundle)
		}
		if len(b.X509Authorities()) > 0 {
			sets.x509.Add(b.X509Bundle())
		}
		if len(b.JWTAuthorities()) > 0 {
			sets.jwt.Add(b.JWTBundle())
		}
		return nil
	}
	return s.loadSeparate(td, sets)
}

func (s BundleFile) loadSeparate(td spiffeid.TrustDomain, sets *bundleSets) error {
	if s.X509PEM != "" {
		b, err := x509bundle.Load(td, s.X509PEM)
		if err == nil && b.Empty() {
			err = errEmptyBundle
		}
		if err != nil {
			return bundleFileErr(s.TrustDomain, "X.509 bundle", s.X509PEM, err)
		}
		sets.x509.Add(b)
	}
	if s.JWKS != "" {
		b, err := loadJWKS(td, s.JWKS)
		if err == nil && b.Empty() {
			err = errEmptyBundle
		}
		if err != nil {
			return bundleFileErr(s.TrustDomain, "JWKS", s.JWKS, err)
		}
		sets.jwt.Add(b)
	}
	return nil
}

// loadJWKS reads a JWKS file as a JWT bundle, the way jwtbundle.Parse
// does, except that a key whose "use" names anything but signing ("sig",
// or "jwt-svid" as in a SPIFFE bundle) is not an authority: jwtbundle.Parse
// ignores "use"; spiffebundle.Parse skips such keys, and so does this.
func loadJWKS(td spiffeid.TrustDomain, path string) (*jwtbundle.Bundle, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var jwks jose.JSONWebKeySet
	if err := json.Unmarshal(data, &jwks); err != nil {
		return nil, fmt.Errorf("unable to parse JWKS: %w", err)
	}
	b := jwtbundle.New(td)
	for i, key := range jwks.Keys {
		if key.Use != "" && key.Use != "sig" && key.Use != "jwt-svid" {
			continue
		}
		if err := b.AddJWTAuthority(key.KeyID, key.Key); err != nil {
			return nil, fmt.Errorf("key %d of the JWKS: %w", i, err)
		}
	}
	return b, nil
}

var errEmptyBundle = fmt.Errorf("bundle holds no keys or certificates")

func bundleFileErr(td, kind, path string, err error) error {
	return fmt.Errorf("identity: %w: trust domain %s: %s file %s: %w", ErrInvalidConfig, td, kind, path, err)
}

// equal reports whether s and o hold the same bundles.
func (s *bundleSets) equal(o *bundleSets) bool {
	if o == nil || s.x509.Len() != o.x509.Len() || s.jwt.Len() != o.jwt.Len() {
		return false
	}
	for _, b := range s.x509.Bundles() {
		if ob, ok := o.x509.Get(b.TrustDomain()); !ok || !b.Equal(ob) {
			return false
		}
	}
	for _, b := range s.jwt.Bundles() {
		if ob, ok := o.jwt.Get(b.TrustDomain()); !ok || !b.Equal(ob) {
			return false
		}
	}
	return true
}
