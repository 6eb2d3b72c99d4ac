package bundle

import (
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateAndLoadKeys(t *testing.T) {
	dir := t.TempDir()
	priv, pubPath := filepath.Join(dir, "signing.pem"), filepath.Join(dir, "signing.pub.pem")
	generated, err := GenerateKey(priv, pubPath)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(priv); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("private key mode = %v, %v; want 0600", info.Mode(), err)
	}
	key, err := LoadPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := LoadPublicKeys(pubPath)
	if err != nil {
		t.Fatal(err)
	}
	if !generated.Equal(keys[0]) || !key.Public().(ed25519.PublicKey).Equal(keys[0]) {
		t.Fatal("loaded keys do not match the generated pair")
	}
	archive := []byte("archive")
	if err := Verify(archive, Sign(archive, key), keys); err != nil {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := GenerateKey(priv, filepath.Join(dir, "other.pem")); !errors.Is(err, os.ErrExist) {
		t.Fatalf("GenerateKey over an existing file = %v, want ErrExist", err)
	}
}

func TestLoadPublicKeysSeveralPerFile(t *testing.T) {
	a, _ := EncodePublicKey(pub(testKey(1)))
	b, _ := EncodePublicKey(pub(testKey(2)))
	path := filepath.Join(t.TempDir(), "trusted.pem")
	if err := os.WriteFile(path, append(a, b...), 0o644); err != nil {
		t.Fatal(err)
	}
	keys, err := LoadPublicKeys(path)
	if err != nil || len(keys) != 2 {
		t.Fatalf("LoadPublicKeys() = %d keys, %v; want 2", len(keys), err)
	}
}

func TestLoadKeyErrorsNameTheFile(t *testing.T) {
	privPEM, _ := EncodePrivateKey(testKey(1))
	pubPEM, _ := EncodePublicKey(pub(testKey(1)))
	tests := []struct {
		name    string
		content []byte
		private bool
	}{
		{"public key as private", pubPEM, true},
		{"private key as public", privPEM, false},
		{"empty private", nil, true},
		{"empty public", nil, false},
		{"garbage after the private block", append(privPEM, "junk"...), true},
		{"garbage after the public block", append(pubPEM, "junk"...), false},
		{"bad DER", []byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "key-file.pem")
			if err := os.WriteFile(path, tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			var err error
			if tt.private {
				_, err = LoadPrivateKey(path)
			} else {
				_, err = LoadPublicKeys(path)
			}
			if err == nil || !strings.Contains(err.Error(), path) {
				t.Fatalf("error = %v, want one naming %s", err, path)
			}
		})
	}
}

func TestLoadPublicKeysNeedsOne(t *testing.T) {
	if _, err := LoadPublicKeys(); !errors.Is(err, ErrNoKeys) {
		t.Fatalf("LoadPublicKeys() = %v, want ErrNoKeys", err)
	}
}
