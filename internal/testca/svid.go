package testca

import (
	"crypto/ecdsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"net/url"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// X509SVID is a minted X.509-SVID: the leaf, the intermediates between it
// and the root (leaf's issuer first), and the leaf's private key.
type X509SVID struct {
	ID            spiffeid.ID
	Leaf          *x509.Certificate
	Intermediates []*x509.Certificate
	Key           *ecdsa.PrivateKey
}

// SVIDOption changes how NewX509SVID builds the leaf.
type SVIDOption func(*x509.Certificate)

// WithValidity sets NotBefore and NotAfter (use past times for an expired SVID).
func WithValidity(notBefore, notAfter time.Time) SVIDOption {
	return func(c *x509.Certificate) { c.NotBefore, c.NotAfter = notBefore, notAfter }
}

// WithExtraURI adds another URI SAN (an SVID must have exactly one).
func WithExtraURI(raw string) SVIDOption {
	return func(c *x509.Certificate) { c.URIs = append(c.URIs, mustURL(raw)) }
}

// WithURIs replaces the URI SANs (e.g. with a non-SPIFFE URI, or none).
func WithURIs(raw ...string) SVIDOption {
	return func(c *x509.Certificate) {
		c.URIs = nil
		for _, r := range raw {
			c.URIs = append(c.URIs, mustURL(r))
		}
	}
}

// AsCA marks the leaf as a CA certificate (IsCA, KeyCertSign), which is not
// a valid X.509-SVID leaf.
func AsCA() SVIDOption {
	return func(c *x509.Certificate) {
		c.IsCA, c.BasicConstraintsValid = true, true
		c.KeyUsage |= x509.KeyUsageCertSign
	}
}

// NewX509SVID mints a leaf for spiffe://<td><path> signed by ca.
func (ca *CA) NewX509SVID(path string, opts ...SVIDOption) *X509SVID {
	ca.tb.Helper()
	id, err := spiffeid.FromPath(ca.td, path)
	if err != nil {
		ca.tb.Fatalf("testca: SPIFFE ID path %q: %v", path, err)
	}
	key := NewKey(ca.tb)
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(ca.tb),
		Subject:               pkix.Name{Organization: []string{"testca"}, CommonName: "svid"},
		URIs:                  []*url.URL{id.URL()},
		NotBefore:             now.Add(-time.Minute),
		NotAfter:              now.Add(time.Hour),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	for _, opt := range opts {
		opt(tmpl)
	}
	leaf := createCert(ca.tb, tmpl, ca.cert, &key.PublicKey, ca.key)
	return &X509SVID{ID: id, Leaf: leaf, Intermediates: ca.intermediates(), Key: key}
}

// Chain returns the leaf followed by its intermediates.
func (s *X509SVID) Chain() []*x509.Certificate {
	return append([]*x509.Certificate{s.Leaf}, s.Intermediates...)
}

// LeafPEM returns the leaf certificate as PEM.
func (s *X509SVID) LeafPEM() []byte { return EncodePEM(s.Leaf) }

// ChainPEM returns the leaf and intermediates as concatenated PEM.
func (s *X509SVID) ChainPEM() []byte { return EncodePEM(s.Chain()...) }

// EnvoyLeaf returns the leaf as Envoy puts it in source.certificate:
// URL-encoded PEM.
func (s *X509SVID) EnvoyLeaf() string { return URLEncodePEM(s.LeafPEM()) }

// EnvoyChain returns leaf and intermediates as URL-encoded PEM.
func (s *X509SVID) EnvoyChain() string { return URLEncodePEM(s.ChainPEM()) }

// EncodePEM encodes certificates as concatenated CERTIFICATE PEM blocks.
func EncodePEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// URLEncodePEM URL-encodes PEM the way Envoy does for source.certificate
// (url.QueryEscape).
func URLEncodePEM(p []byte) string { return url.QueryEscape(string(p)) }

func mustURL(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		panic("testca: bad URI " + raw + ": " + err.Error())
	}
	return u
}
