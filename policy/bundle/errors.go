package bundle

import (
	"errors"
	"fmt"
)

var (
	// ErrUnsigned means no signature accompanies the archive.
	ErrUnsigned = errors.New("no signature")
	// ErrBadSignature means the signature is malformed or made by none of the trusted keys.
	ErrBadSignature = errors.New("signature not valid for any trusted key")
	// ErrNoKeys means no trusted public key was configured.
	ErrNoKeys = errors.New("no trusted public keys")
	// ErrTampered means the archive content does not match its manifest.
	ErrTampered = errors.New("content does not match the manifest")
	// ErrUnsafePath means an archive entry or manifest path is absolute, has
	// "..", or is otherwise not a clean relative path.
	ErrUnsafePath = errors.New("unsafe path")
	// ErrTooLarge means a size or file-count limit was exceeded.
	ErrTooLarge = errors.New("over limits")
	// ErrInvalid means the archive or manifest is malformed.
	ErrInvalid = errors.New("malformed bundle")
	// ErrNoBundle means neither the server nor the last-known-good cache
	// provided a usable bundle at start.
	ErrNoBundle = errors.New("no usable bundle")
	// ErrLegacy means the manifest has no sequence and no expiry: the
	// bundle was built by an older tollgate and must be rebuilt.
	ErrLegacy = errors.New("bundle has no sequence or expiry")
	// ErrRollback means the bundle's sequence is lower than one already
	// accepted, or equal to it with different content.
	ErrRollback = errors.New("older than the bundle already accepted")
	// ErrExpired means the bundle is past its signed expiry.
	ErrExpired = errors.New("bundle expired")
	// ErrClosed means the Fetcher was closed.
	ErrClosed = errors.New("fetcher closed")
)

// wrap adds the package name to err.
func wrap(err error) error {
	return fmt.Errorf("bundle: %w", err)
}
