package bundle

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
)

// SignatureSuffix is appended to an archive's name or URL to find its
// detached signature (bundle.tar.gz -> bundle.tar.gz.sig).
const SignatureSuffix = ".sig"

// maxSignatureFile bounds what is read as a signature file.
const maxSignatureFile = 4096

// Sign returns the detached signature file content for archive: the
// standard base64 encoding of the ed25519 signature over the exact archive
// bytes, followed by a newline.
func Sign(archive []byte, key ed25519.PrivateKey) []byte {
	sig := ed25519.Sign(key, archive)
	out := make([]byte, base64.StdEncoding.EncodedLen(len(sig)), base64.StdEncoding.EncodedLen(len(sig))+1)
	base64.StdEncoding.Encode(out, sig)
	return append(out, '\n')
}

// Verify checks that sig (signature file content, as produced by Sign) is a
// valid signature over archive by at least one of keys. It reads nothing but
// the raw bytes: call it before Open. It returns ErrNoKeys, ErrUnsigned (sig
// is empty) or ErrBadSignature.
func Verify(archive, sig []byte, keys []ed25519.PublicKey) error {
	if err := verify(archive, sig, keys); err != nil {
		return wrap(err)
	}
	return nil
}

func verify(archive, sig []byte, keys []ed25519.PublicKey) error {
	if len(keys) == 0 {
		return ErrNoKeys
	}
	text := bytes.TrimSpace(sig)
	if len(text) == 0 {
		return ErrUnsigned
	}
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
	n, err := base64.StdEncoding.Strict().Decode(raw, text)
	if err != nil || n != ed25519.SignatureSize {
		return fmt.Errorf("%w: signature is not the base64 of %d bytes", ErrBadSignature, ed25519.SignatureSize)
	}
	for _, k := range keys {
		if len(k) == ed25519.PublicKeySize && ed25519.Verify(k, archive, raw[:n]) {
			return nil
		}
	}
	return ErrBadSignature
}
