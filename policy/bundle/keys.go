package bundle

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

const (
	pemPrivate = "PRIVATE KEY"
	pemPublic  = "PUBLIC KEY"
)

// LoadPrivateKey reads an ed25519 private key from a PEM file holding exactly
// one PKCS#8 "PRIVATE KEY" block.
func LoadPrivateKey(path string) (ed25519.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, wrap(err)
	}
	block, rest := pem.Decode(data)
	if block == nil || block.Type != pemPrivate || len(bytes.TrimSpace(rest)) != 0 {
		return nil, wrap(fmt.Errorf("private key %s: want exactly one PEM %q block (PKCS#8)", path, pemPrivate))
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, wrap(fmt.Errorf("private key %s: not PKCS#8", path))
	}
	ed, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, wrap(fmt.Errorf("private key %s: %T is not an ed25519 key", path, key))
	}
	return ed, nil
}

// LoadPublicKeys reads ed25519 public keys from PEM files. Each file holds one
// or more PKIX "PUBLIC KEY" blocks and nothing else. At least one key in all
// is required.
func LoadPublicKeys(paths ...string) ([]ed25519.PublicKey, error) {
	var keys []ed25519.PublicKey
	for _, path := range paths {
		k, err := loadPublicKeyFile(path)
		if err != nil {
			return nil, wrap(err)
		}
		keys = append(keys, k...)
	}
	if len(keys) == 0 {
		return nil, wrap(ErrNoKeys)
	}
	return keys, nil
}

func loadPublicKeyFile(path string) ([]ed25519.PublicKey, error) {
	rest, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var keys []ed25519.PublicKey
	for n := 1; len(bytes.TrimSpace(rest)) > 0; n++ {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil || block.Type != pemPublic {
			return nil, fmt.Errorf("public key %s: block %d: want a PEM %q block (PKIX)", path, n, pemPublic)
		}
		key, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("public key %s: block %d: not PKIX", path, n)
		}
		ed, ok := key.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("public key %s: block %d: %T is not an ed25519 key", path, n, key)
		}
		keys = append(keys, ed)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("public key %s: %w", path, ErrNoKeys)
	}
	return keys, nil
}

// EncodePrivateKey returns key as a PKCS#8 "PRIVATE KEY" PEM block.
func EncodePrivateKey(key ed25519.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, wrap(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivate, Bytes: der}), nil
}

// EncodePublicKey returns key as a PKIX "PUBLIC KEY" PEM block.
func EncodePublicKey(key ed25519.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		return nil, wrap(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPublic, Bytes: der}), nil
}

// GenerateKey creates a new ed25519 key pair and writes the private key to
// privPath (mode 0600) and the public key to pubPath (mode 0644), both PEM.
// It refuses to overwrite an existing file.
func GenerateKey(privPath, pubPath string) (ed25519.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, wrap(err)
	}
	privPEM, err := EncodePrivateKey(priv)
	if err != nil {
		return nil, err
	}
	pubPEM, err := EncodePublicKey(pub)
	if err != nil {
		return nil, err
	}
	if err := writeNew(privPath, privPEM, 0o600); err != nil {
		return nil, wrap(fmt.Errorf("private key %s: %w", privPath, err))
	}
	if err := writeNew(pubPath, pubPEM, 0o644); err != nil {
		_ = os.Remove(privPath)
		return nil, wrap(fmt.Errorf("public key %s: %w", pubPath, err))
	}
	return pub, nil
}

// writeNew creates path exclusively and writes data to it.
func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(path)
		return err
	}
	return nil
}
