package identity

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/spiffe/go-spiffe/v2/svid/x509svid"
)

// maxPEMLen bounds a forwarded certificate (chain) before decoding.
const (
	maxPEMLen   = 64 << 10
	maxChainLen = 8
)

// verifyPeerCert verifies Envoy's URL-encoded PEM source.certificate.
func (v *Verifier) verifyPeerCert(raw string) (Identity, *Error) {
	return v.cached(v.x509, cacheX509, raw, func(now time.Time) (Identity, time.Time, *Error) {
		certs, err := decodePeerCert(raw)
		if err != nil {
			return Identity{}, time.Time{}, err
		}
		return v.verifyChain(certs, now)
	})
}

// VerifyX509Chain verifies a leaf (certs[0]) and optional intermediates
// against Config.X509Bundles, e.g. the Cert and Chain of an XFCC element.
// Results are not cached.
func (v *Verifier) VerifyX509Chain(certs []*x509.Certificate) (Identity, error) {
	if v.cfg.X509Bundles == nil {
		return Identity{}, fail(SourceX509, ReasonUntrustedDomain, ErrNoBundle, "X509Bundles is not configured")
	}
	if len(certs) == 0 || len(certs) > maxChainLen {
		return Identity{}, fail(SourceX509, ReasonMalformed, ErrMalformed, "need 1 to "+strconv.Itoa(maxChainLen)+" certificates")
	}
	id, _, err := v.verifyChain(certs, v.cfg.Clock())
	if err != nil {
		return Identity{}, err
	}
	return id, nil
}

// decodePeerCert URL-decodes and parses one or more CERTIFICATE PEM blocks
// (leaf first). Anything else in the input is malformed.
func decodePeerCert(raw string) ([]*x509.Certificate, *Error) {
	if len(raw) > maxPEMLen*3 {
		return nil, fail(SourceX509, ReasonMalformed, ErrMalformed, "peer certificate too large")
	}
	decoded, err := url.QueryUnescape(raw)
	if err != nil {
		return nil, fail(SourceX509, ReasonMalformed, ErrMalformed, "peer certificate is not URL-encoded PEM")
	}
	rest := []byte(decoded)
	var certs []*x509.Certificate
	for len(bytes.TrimSpace(rest)) > 0 {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil || block.Type != "CERTIFICATE" {
			return nil, fail(SourceX509, ReasonMalformed, ErrMalformed, "peer certificate holds data that is not a CERTIFICATE PEM block")
		}
		if len(certs) == maxChainLen {
			return nil, fail(SourceX509, ReasonMalformed, ErrMalformed, "peer certificate chain longer than "+strconv.Itoa(maxChainLen))
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fail(SourceX509, ReasonMalformed, ErrMalformed, "parse peer certificate: "+err.Error())
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, fail(SourceX509, ReasonMalformed, ErrMalformed, "peer certificate holds no PEM block")
	}
	return certs, nil
}

// verifyChain checks the leaf's shape, domain and validity period, then
// verifies the chain with x509svid.Verify. It returns the identity and the
// earliest NotAfter of the verified chain.
func (v *Verifier) verifyChain(certs []*x509.Certificate, now time.Time) (Identity, time.Time, *Error) {
	leaf := certs[0]
	id, err := x509svid.IDFromCert(leaf)
	if err != nil {
		return Identity{}, time.Time{}, fail(SourceX509, ReasonNotSVID, ErrNotSVID, err.Error())
	}
	if leaf.IsCA || leaf.KeyUsage&(x509.KeyUsageCertSign|x509.KeyUsageCRLSign) != 0 {
		return Identity{}, time.Time{}, fail(SourceX509, ReasonNotSVID, ErrNotSVID, "leaf certificate is a CA certificate")
	}
	if !v.trustedDomain(id.TrustDomain()) {
		return Identity{}, time.Time{}, fail(SourceX509, ReasonUntrustedDomain, ErrUntrustedDomain,
			"trust domain "+id.TrustDomain().Name()+" is not in TrustDomains")
	}
	bundle, bErr := v.cfg.X509Bundles.GetX509BundleForTrustDomain(id.TrustDomain())
	if bErr != nil || len(bundle.X509Authorities()) == 0 {
		return Identity{}, time.Time{}, fail(SourceX509, ReasonUntrustedDomain, ErrNoBundle, "trust domain "+id.TrustDomain().Name())
	}
	if e := checkValidity(leaf, now); e != nil {
		return Identity{}, time.Time{}, e
	}
	_, chains, err := x509svid.Verify(certs, v.cfg.X509Bundles, x509svid.WithTime(now))
	if err != nil {
		return Identity{}, time.Time{}, classifyX509(err, certs, bundle.X509Authorities())
	}
	expires := chainExpiry(chains[0])
	return Identity{ID: id, Source: SourceX509, ExpiresAt: expires}, expires, nil
}

func checkValidity(leaf *x509.Certificate, now time.Time) *Error {
	switch {
	case now.Before(leaf.NotBefore):
		return fail(SourceX509, ReasonNotYetValid, ErrNotYetValid, "leaf NotBefore "+leaf.NotBefore.UTC().Format(time.RFC3339))
	case now.After(leaf.NotAfter):
		return fail(SourceX509, ReasonExpired, ErrExpired, "leaf NotAfter "+leaf.NotAfter.UTC().Format(time.RFC3339))
	}
	return nil
}

func chainExpiry(chain []*x509.Certificate) time.Time {
	exp := chain[0].NotAfter
	for _, c := range chain[1:] {
		if c.NotAfter.Before(exp) {
			exp = c.NotAfter
		}
	}
	return exp
}

// classifyX509 maps an x509svid.Verify error to a bounded reason.
func classifyX509(err error, certs, roots []*x509.Certificate) *Error {
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) && invalid.Reason == x509.Expired {
		return fail(SourceX509, ReasonExpired, ErrExpired, "a certificate in the chain is outside its validity period")
	}
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) && !issuedByRoot(certs[len(certs)-1], roots) && !selfIssued(certs[len(certs)-1]) {
		return fail(SourceX509, ReasonIncompleteChain, ErrIncompleteChain,
			"issuer of the last supplied certificate is not a root of the trust bundle; the proxy forwards only the leaf, "+
				"so forward the intermediates (or add them to the bundle), or the certificate was issued by an unknown CA")
	}
	return fail(SourceX509, ReasonBadSignature, ErrBadSignature, "chain does not verify against the trust bundle")
}

// issuedByRoot reports whether cert names one of roots as its issuer. Only
// the name is compared: a certificate naming a root that still fails to
// verify was signed by another key, which is a bad signature, not a
// missing intermediate.
func issuedByRoot(cert *x509.Certificate, roots []*x509.Certificate) bool {
	for _, r := range roots {
		if bytes.Equal(cert.RawIssuer, r.RawSubject) {
			return true
		}
	}
	return false
}

func selfIssued(cert *x509.Certificate) bool { return bytes.Equal(cert.RawIssuer, cert.RawSubject) }
