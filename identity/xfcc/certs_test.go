package xfcc_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"net/url"
	"testing"
	"time"
)

// testChain is a leaf and an intermediate, minted for the test.
type testChain struct {
	leaf, inter *x509.Certificate
}

func (c testChain) leafPEM() string  { return toPEM(c.leaf) }
func (c testChain) chainPEM() string { return toPEM(c.leaf) + toPEM(c.inter) }
func (c testChain) hash() string     { return hashOf(c.leaf) }

func hashOf(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return hex.EncodeToString(sum[:])
}

func toPEM(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

// mintChain creates root -> intermediate -> leaf, the leaf carrying uris.
func mintChain(t testing.TB, uris ...string) testChain {
	t.Helper()
	rootKey, root := mintCert(t, nil, nil, true, "Test Root")
	interKey, inter := mintCert(t, root, rootKey, true, "Test Intermediate")
	_, leaf := mintCert(t, inter, interKey, false, "", uris...)
	return testChain{leaf: leaf, inter: inter}
}

func mintCert(t testing.TB, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, ca bool,
	cn string, uris ...string) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"Tollgate, Test"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  ca,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
	}
	for _, u := range uris {
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		tmpl.URIs = append(tmpl.URIs, pu)
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

// envoyURLEncode encodes PEM the way Envoy does for Cert and Chain.
func envoyURLEncode(s string) string { return url.PathEscape(s) }
