package testca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/url"
	"testing"
	"time"

	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// CA is a test certificate authority for one trust domain. A root CA also
// holds the trust domain's JWT signing keys.
type CA struct {
	tb     testing.TB
	td     spiffeid.TrustDomain
	parent *CA
	cert   *x509.Certificate
	key    *ecdsa.PrivateKey
	jwt    *jwtKeys
}

// New returns a root CA for the trust domain td (e.g. "example.org").
func New(tb testing.TB, td string) *CA {
	tb.Helper()
	trustDomain, err := spiffeid.TrustDomainFromString(td)
	if err != nil {
		tb.Fatalf("testca: trust domain %q: %v", td, err)
	}
	key := NewKey(tb)
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(tb),
		Subject:               pkix.Name{Organization: []string{"testca"}, CommonName: "root " + td},
		URIs:                  []*url.URL{trustDomain.ID().URL()},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	ca := &CA{tb: tb, td: trustDomain, key: key}
	ca.cert = createCert(tb, tmpl, tmpl, &key.PublicKey, key)
	ca.jwt = newJWTKeys(tb)
	return ca
}

// NewIntermediate returns a CA signed by ca. It shares ca's JWT keys.
func (ca *CA) NewIntermediate() *CA {
	ca.tb.Helper()
	key := NewKey(ca.tb)
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(ca.tb),
		Subject:               pkix.Name{Organization: []string{"testca"}, CommonName: "intermediate " + ca.td.Name()},
		URIs:                  []*url.URL{ca.td.ID().URL()},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(12 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	cert := createCert(ca.tb, tmpl, ca.cert, &key.PublicKey, ca.key)
	return &CA{tb: ca.tb, td: ca.td, parent: ca, cert: cert, key: key, jwt: ca.jwt}
}

// TrustDomain returns the CA's trust domain.
func (ca *CA) TrustDomain() spiffeid.TrustDomain { return ca.td }

// Cert returns the CA's own certificate.
func (ca *CA) Cert() *x509.Certificate { return ca.cert }

// Root returns the root CA of ca's hierarchy.
func (ca *CA) Root() *CA {
	for ca.parent != nil {
		ca = ca.parent
	}
	return ca
}

// X509Bundle returns a bundle holding the root certificate only, as a SPIFFE
// trust bundle does.
func (ca *CA) X509Bundle() *x509bundle.Bundle {
	return x509bundle.FromX509Authorities(ca.td, []*x509.Certificate{ca.Root().cert})
}

// X509BundlePEM returns the root certificate as PEM.
func (ca *CA) X509BundlePEM() []byte { return EncodePEM(ca.Root().cert) }

// intermediates returns the chain from ca up to, excluding, the root.
func (ca *CA) intermediates() []*x509.Certificate {
	var out []*x509.Certificate
	for c := ca; c.parent != nil; c = c.parent {
		out = append(out, c.cert)
	}
	return out
}

// NewKey returns a fresh ECDSA P-256 key.
func NewKey(tb testing.TB) *ecdsa.PrivateKey {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatalf("testca: generate key: %v", err)
	}
	return key
}

func serial(tb testing.TB) *big.Int {
	tb.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		tb.Fatalf("testca: serial: %v", err)
	}
	return n
}

func createCert(tb testing.TB, tmpl, parent *x509.Certificate, pub *ecdsa.PublicKey, signer *ecdsa.PrivateKey) *x509.Certificate {
	tb.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		tb.Fatalf("testca: create certificate: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatalf("testca: parse certificate: %v", err)
	}
	return cert
}
