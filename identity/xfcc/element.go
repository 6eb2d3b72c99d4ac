package xfcc

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// Element is one comma-separated element of the header: what one proxy hop
// asserted about the client certificate it saw. All fields are untrusted
// until the caller has verified the element came from a trusted hop and has
// verified the certificates against a trust bundle.
type Element struct {
	// By holds the URI SANs of the proxy that added the element.
	By []string
	// Hash is the hex SHA-256 of the client's leaf certificate (DER).
	Hash string
	// Cert is the client's leaf certificate as PEM (already URL-decoded).
	Cert string
	// Chain is the client's chain, leaf first, as PEM (already URL-decoded).
	Chain string
	// Subject is the client certificate's subject, for display only: Envoy
	// does not escape it, so it must never drive an authorization decision.
	Subject string
	// URI holds the client certificate's URI SANs.
	URI []string
	// DNS holds the client certificate's DNS SANs.
	DNS []string
}

// Certificates returns the client's certificates, leaf first. The leaf comes
// from Cert, or from the first certificate of Chain when Cert is absent; the
// rest of Chain follows. When both are present, Chain must start with the
// same certificate as Cert (it is dropped, not repeated). When Hash is
// present it must be the SHA-256 of the leaf. The certificates are parsed
// but NOT verified: the caller must verify them against a trust bundle.
func (e Element) Certificates() ([]*x509.Certificate, error) {
	if e.Cert == "" && e.Chain == "" {
		return nil, wrap(ErrNoCertificate)
	}
	var certs []*x509.Certificate
	if e.Cert != "" {
		leaf, err := parsePEMCertificates(e.Cert, "Cert")
		if err != nil {
			return nil, err
		}
		if len(leaf) != 1 {
			return nil, fmt.Errorf("xfcc: %w: Cert holds %d certificates, want 1", ErrBadCertificate, len(leaf))
		}
		certs = leaf
	}
	if e.Chain != "" {
		chain, err := parsePEMCertificates(e.Chain, "Chain")
		if err != nil {
			return nil, err
		}
		if certs != nil && !bytes.Equal(certs[0].Raw, chain[0].Raw) {
			return nil, wrap(ErrChainMismatch)
		}
		certs = append(certs[:0:0], chain...)
	}
	if err := checkHash(e.Hash, certs[0]); err != nil {
		return nil, err
	}
	return certs, nil
}

// checkHash compares a non-empty Hash with the SHA-256 of the leaf.
func checkHash(hash string, leaf *x509.Certificate) error {
	if hash == "" {
		return nil
	}
	sum := sha256.Sum256(leaf.Raw)
	if !strings.EqualFold(hash, hex.EncodeToString(sum[:])) {
		return wrap(ErrHashMismatch)
	}
	return nil
}

// parsePEMCertificates parses a non-empty sequence of PEM CERTIFICATE blocks
// with nothing but whitespace around them.
func parsePEMCertificates(data, field string) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := []byte(data)
	for len(bytes.TrimSpace(rest)) > 0 {
		block, next := pem.Decode(rest)
		if block == nil {
			return nil, fmt.Errorf("xfcc: %w: %s: certificate %d: not a PEM block", ErrBadCertificate, field, len(certs)+1)
		}
		if block.Type != "CERTIFICATE" || len(block.Headers) != 0 {
			return nil, fmt.Errorf("xfcc: %w: %s: certificate %d: PEM block type %q, want CERTIFICATE without headers",
				ErrBadCertificate, field, len(certs)+1, clipType(block.Type))
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("xfcc: %w: %s: certificate %d: %w", ErrBadCertificate, field, len(certs)+1, err)
		}
		certs = append(certs, cert)
		rest = next
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("xfcc: %w: %s: no PEM certificate", ErrBadCertificate, field)
	}
	return certs, nil
}

// clipType bounds a PEM block type taken from untrusted input.
func clipType(t string) string {
	if len(t) > 32 {
		return t[:32] + "..."
	}
	return t
}

// SPIFFEID returns the client's SPIFFE ID: the one URI value whose scheme is
// spiffe (compared case-insensitively, so a differently-cased second ID is
// an ambiguity, not ignored). No such URI, more than one, or an invalid
// SPIFFE ID is an error.
func (e Element) SPIFFEID() (spiffeid.ID, error) {
	var found []string
	for _, u := range e.URI {
		if len(u) >= len("spiffe:") && strings.EqualFold(u[:len("spiffe:")], "spiffe:") {
			found = append(found, u)
		}
	}
	switch len(found) {
	case 0:
		return spiffeid.ID{}, wrap(ErrNoSPIFFEID)
	case 1:
	default:
		return spiffeid.ID{}, fmt.Errorf("xfcc: %w: %d found", ErrMultipleSPIFFEIDs, len(found))
	}
	id, err := spiffeid.FromString(found[0])
	if err != nil {
		return spiffeid.ID{}, fmt.Errorf("xfcc: %w: %w", ErrInvalidSPIFFEID, err)
	}
	return id, nil
}
