package identity

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// BundleFile names the trust bundle files of one trust domain: an X.509
// bundle (PEM) and/or a JWT bundle (JWKS), or a SPIFFE bundle (JSON) holding
// both. Paths are read at construction and on every Reload.
type BundleFile struct {
	TrustDomain  string
	X509PEM      string
	JWKS         string
	SPIFFEBundle string
}

// FileBundles serves trust bundles loaded from files. It implements
// x509bundle.Source and jwtbundle.Source and is safe for concurrent use.
type FileBundles struct {
	specs   []BundleFile
	sets    atomic.Pointer[bundleSets]
	changes notifier     // OnChange subscribers, called by Watch
	watch   fileWatch    // filebundles_watch.go
	updated atomic.Int64 // UnixNano of the first load or the last change
}

type bundleSets struct {
	x509 *x509bundle.Set
	jwt  *jwtbundle.Set
}

// x509For returns td's X.509 bundle; origin names the source in the error.
func (s *bundleSets) x509For(td spiffeid.TrustDomain, origin string) (*x509bundle.Bundle, error) {
	if b, ok := s.x509.Get(td); ok {
		return b, nil
	}
	return nil, fmt.Errorf("identity: %w: X.509 %s (%s)", ErrNoBundle, td.Name(), origin)
}

// jwtFor returns td's JWT bundle; origin names the source in the error.
func (s *bundleSets) jwtFor(td spiffeid.TrustDomain, origin string) (*jwtbundle.Bundle, error) {
	if b, ok := s.jwt.Get(td); ok {
		return b, nil
	}
	return nil, fmt.Errorf("identity: %w: JWT %s (%s)", ErrNoBundle, td.Name(), origin)
}

var (
	_ x509bundle.Source = (*FileBundles)(nil)
	_ jwtbundle.Source  = (*FileBundles)(nil)
)

// NewFileBundles validates specs and loads every file. Errors name the
// spec index, trust domain and file.
func NewFileBundles(specs []BundleFile) (*FileBundles, error) {
	if len(specs) == 0 {
		return nil, configErr("no trust bundle files configured")
	}
	seen := map[string]int{}
	for i, s := range specs {
		if err := s.validate(i); err != nil {
			return nil, err
		}
		if j, dup := seen[s.TrustDomain]; dup {
			return nil, configErr("bundles[%d]: trust domain %q already configured in bundles[%d]", i, s.TrustDomain, j)
		}
		seen[s.TrustDomain] = i
	}
	f := &FileBundles{specs: append([]BundleFile(nil), specs...)}
	sets, err := loadSets(f.specs)
	if err != nil {
		return nil, err
	}
	f.sets.Store(sets)
	f.updated.Store(time.Now().UnixNano())
	return f, nil
}

func (s BundleFile) validate(i int) error {
	if _, err := spiffeid.TrustDomainFromString(s.TrustDomain); err != nil {
		return configErr("bundles[%d]: trust domain %q: %v", i, s.TrustDomain, err)
	}
	switch {
	case s.SPIFFEBundle != "" && (s.X509PEM != "" || s.JWKS != ""):
		return configErr("bundles[%d] (%s): set either spiffe_bundle or x509_pem/jwks, not both", i, s.TrustDomain)
	case s.SPIFFEBundle == "" && s.X509PEM == "" && s.JWKS == "":
		return configErr("bundles[%d] (%s): no bundle file: set x509_pem, jwks or spiffe_bundle", i, s.TrustDomain)
	}
	return nil
}

// Reload re-reads every file and swaps all bundles at once. On error the
// previous bundles stay in use. changed reports whether any bundle differs;
// when it does, call Verifier.InvalidateCache.
func (f *FileBundles) Reload() (changed bool, err error) {
	sets, err := loadSets(f.specs)
	if err != nil {
		return false, err
	}
	old := f.sets.Swap(sets)
	if sets.equal(old) {
		return false, nil
	}
	f.updated.Store(time.Now().UnixNano())
	return true, nil
}

// LastUpdate is when the bundles were first loaded or last changed.
func (f *FileBundles) LastUpdate() time.Time { return time.Unix(0, f.updated.Load()) }

// GetX509BundleForTrustDomain implements x509bundle.Source.
func (f *FileBundles) GetX509BundleForTrustDomain(td spiffeid.TrustDomain) (*x509bundle.Bundle, error) {
	return f.sets.Load().x509For(td, "files")
}

// GetJWTBundleForTrustDomain implements jwtbundle.Source.
func (f *FileBundles) GetJWTBundleForTrustDomain(td spiffeid.TrustDomain) (*jwtbundle.Bundle, error) {
	return f.sets.Load().jwtFor(td, "files")
}
