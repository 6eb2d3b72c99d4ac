package bundle

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"
)

func TestVerify(t *testing.T) {
	good, other := testKey(1), testKey(2)
	archive := archiveOf(t, "v1", map[string]string{"main.cedar": policyA})
	sig := Sign(archive, good)
	flipped := bytes.Clone(archive)
	flipped[len(flipped)/2] ^= 0x01
	tests := []struct {
		name    string
		archive []byte
		sig     []byte
		keys    []ed25519.PublicKey
		want    error
	}{
		{"valid", archive, sig, []ed25519.PublicKey{pub(good)}, nil},
		{"valid among several keys", archive, sig, []ed25519.PublicKey{pub(other), {1, 2}, pub(good)}, nil},
		{"signature without trailing newline", archive, bytes.TrimSpace(sig), []ed25519.PublicKey{pub(good)}, nil},
		{"wrong key", archive, sig, []ed25519.PublicKey{pub(other)}, ErrBadSignature},
		{"archive byte flipped", flipped, sig, []ed25519.PublicKey{pub(good)}, ErrBadSignature},
		{"empty signature", archive, []byte(" \n"), []ed25519.PublicKey{pub(good)}, ErrUnsigned},
		{"not base64", archive, []byte("!!!"), []ed25519.PublicKey{pub(good)}, ErrBadSignature},
		{"short signature", archive, []byte("AAAA"), []ed25519.PublicKey{pub(good)}, ErrBadSignature},
		{"no keys", archive, sig, nil, ErrNoKeys},
		{"malformed key only", archive, sig, []ed25519.PublicKey{{1, 2, 3}}, ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.archive, tt.sig, tt.keys)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify() = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyAndOpenChecksSignatureFirst(t *testing.T) {
	archive := []byte("not even gzip")
	_, _, err := VerifyAndOpen(archive, Sign(archive, testKey(2)), []ed25519.PublicKey{pub(testKey(1))}, Limits{})
	if !errors.Is(err, ErrBadSignature) {
		t.Fatalf("VerifyAndOpen() = %v, want ErrBadSignature before any parsing", err)
	}
}
