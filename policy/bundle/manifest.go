package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"time"
	"unicode"
	"unicode/utf8"
)

const (
	digestPrefix     = "sha256:"
	maxVersionLength = 128
)

// Manifest describes a bundle: its version, when it was built, and the
// SHA-256 digest of every file it carries.
type Manifest struct {
	// Version is the bundle version chosen by its builder.
	Version string
	// Created is when the bundle was built.
	Created time.Time
	// Files maps each slash-separated path to "sha256:<lowercase hex>".
	Files map[string]string
}

type manifestJSON struct {
	Version string            `json:"version"`
	Created string            `json:"created"`
	Files   map[string]string `json:"files"`
}

// digestOf returns "sha256:<hex>" for data.
func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return digestPrefix + hex.EncodeToString(sum[:])
}

// marshal encodes m deterministically (map keys sorted by encoding/json).
func (m *Manifest) marshal() ([]byte, error) {
	w := manifestJSON{Version: m.Version, Created: m.Created.UTC().Format(time.RFC3339), Files: m.Files}
	out, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// parseManifest strictly decodes and validates a manifest.
func parseManifest(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var w manifestJSON
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, manifestName, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: %s: trailing data after the JSON object", ErrInvalid, manifestName)
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, manifestName, err)
	}
	created, err := time.Parse(time.RFC3339, w.Created)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: \"created\" is not RFC 3339: %v", ErrInvalid, manifestName, err)
	}
	if err := checkFileDigests(w.Files); err != nil {
		return nil, err
	}
	return &Manifest{Version: w.Version, Created: created, Files: w.Files}, nil
}

func checkFileDigests(files map[string]string) error {
	if files == nil {
		return fmt.Errorf("%w: %s: \"files\" is missing", ErrInvalid, manifestName)
	}
	for p, d := range files {
		if err := checkPath(p); err != nil {
			return fmt.Errorf("%s: %w", manifestName, err)
		}
		if p == manifestName || !allowedPath(p) {
			return fmt.Errorf("%w: %s: file %q is not allowed in a bundle", ErrInvalid, manifestName, p)
		}
		for dir := path.Dir(p); dir != "."; dir = path.Dir(dir) {
			if _, clash := files[dir]; clash {
				return fmt.Errorf("%w: %s: %q is both a file and a directory", ErrInvalid, manifestName, dir)
			}
		}
		if !validDigest(d) {
			return fmt.Errorf("%w: %s: file %q: digest must be \"sha256:\" and 64 lowercase hex digits", ErrInvalid, manifestName, p)
		}
	}
	return nil
}

func validDigest(d string) bool {
	if len(d) != len(digestPrefix)+64 || d[:len(digestPrefix)] != digestPrefix {
		return false
	}
	for _, c := range d[len(digestPrefix):] {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// checkVersion accepts 1 to 128 printable, non-space UTF-8 characters.
func checkVersion(v string) error {
	if v == "" {
		return fmt.Errorf("version is empty")
	}
	if len(v) > maxVersionLength || !utf8.ValidString(v) {
		return fmt.Errorf("version must be at most %d bytes of UTF-8", maxVersionLength)
	}
	for _, r := range v {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return fmt.Errorf("version %q has a space or non-printable character", v)
		}
	}
	return nil
}
