package xfcc

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps exactly one of
// them (ErrTooLarge errors also wrap ErrMalformed), so callers can map them to
// bounded reasons with errors.Is.
var (
	// ErrMalformed reports a header that does not follow the XFCC grammar.
	ErrMalformed = errors.New("malformed header")
	// ErrTooLarge reports a header over MaxHeaderBytes or with more than
	// MaxElements elements. It is always wrapped together with ErrMalformed.
	ErrTooLarge = errors.New("header exceeds limits")
	// ErrNoElement reports that Select was given no elements.
	ErrNoElement = errors.New("no element to select")
	// ErrInvalidSelection reports a Selection with an unknown Index.
	ErrInvalidSelection = errors.New("invalid selection")
	// ErrUntrustedHop reports an element that was not added by a trusted proxy.
	ErrUntrustedHop = errors.New("element not added by a trusted proxy")
	// ErrNoCertificate reports an element without Cert and Chain.
	ErrNoCertificate = errors.New("element carries no certificate")
	// ErrBadCertificate reports a Cert or Chain that is not a clean sequence
	// of PEM CERTIFICATE blocks holding parseable X.509 certificates.
	ErrBadCertificate = errors.New("invalid certificate")
	// ErrChainMismatch reports a Chain whose first certificate is not Cert.
	ErrChainMismatch = errors.New("chain does not start with the leaf certificate")
	// ErrHashMismatch reports a Hash that is not the SHA-256 of the leaf.
	ErrHashMismatch = errors.New("hash does not match the leaf certificate")
	// ErrNoSPIFFEID reports an element without a spiffe:// URI.
	ErrNoSPIFFEID = errors.New("no spiffe URI")
	// ErrMultipleSPIFFEIDs reports an element with more than one spiffe:// URI.
	ErrMultipleSPIFFEIDs = errors.New("more than one spiffe URI")
	// ErrInvalidSPIFFEID reports a spiffe:// URI that is not a valid SPIFFE ID.
	ErrInvalidSPIFFEID = errors.New("invalid SPIFFE ID")
)

// wrap adds the package name to err.
func wrap(err error) error { return fmt.Errorf("xfcc: %w", err) }

// syntaxError builds a malformed-header error pointing at an element (counted
// from 1) and a byte offset in the header (counted from 0). It never includes
// header content.
func syntaxError(elem, offset int, msg string) error {
	return fmt.Errorf("xfcc: %w: element %d: %s at offset %d", ErrMalformed, elem, msg, offset)
}
