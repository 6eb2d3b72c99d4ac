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

// Validity bounds: how long after Created a bundle may be used.
const (
	// DefaultValidity is the validity `tollgate bundle build` signs when
	// --expires is not given.
	DefaultValidity = 72 * time.Hour
	// MaxValidity is the longest validity a bundle may carry.
	MaxValidity = 90 * 24 * time.Hour
)

// Manifest describes a bundle: its version, its place in the publisher's
// sequence, when it was built and until when it may be used, and the
// SHA-256 digest of every file it carries. It is inside the signed archive.
type Manifest struct {
	// Version is the bundle version chosen by its builder (a label).
	Version string
	// Sequence orders bundles: a Fetcher never accepts a bundle with a
	// lower sequence than one it accepted, nor the same sequence with
	// different content. At least 1.
	Sequence uint64
	// Created is when the bundle was built.
	Created time.Time
	// Expires is when the bundle stops being fresh, whatever the server
	// says. After Created, at most MaxValidity later.
	Expires time.Time
	// Files maps each slash-separated path to "sha256:<lowercase hex>".
	Files map[string]string
}

type manifestJSON struct {
	Version  string            `json:"version"`
	Sequence uint64            `json:"sequence,omitempty"`
	Created  string            `json:"created"`
	Expires  string            `json:"expires,omitempty"`
	Files    map[string]string `json:"files"`
}

// digestOf returns "sha256:<hex>" for data.
func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return digestPrefix + hex.EncodeToString(sum[:])
}

// marshal encodes m deterministically (map keys sorted by encoding/json).
func (m *Manifest) marshal() ([]byte, error) {
	w := manifestJSON{Version: m.Version, Sequence: m.Sequence, Created: m.Created.UTC().Format(time.RFC3339),
		Expires: m.Expires.UTC().Format(time.RFC3339), Files: m.Files}
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
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, manifestName, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: %s: trailing data after the JSON object", ErrInvalid, manifestName)
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, manifestName, err)
	}
	if w.Sequence == 0 && w.Expires == "" {
		return nil, fmt.Errorf("%w: %w: %s has no \"sequence\" and no \"expires\" (built by an older tollgate): "+
			"rebuild it with `tollgate bundle build` and sign it again", ErrInvalid, ErrLegacy, manifestName)
	}
	m := &Manifest{Version: w.Version, Sequence: w.Sequence, Files: w.Files}
	var err error
	if m.Created, err = time.Parse(time.RFC3339, w.Created); err != nil {
		return nil, fmt.Errorf("%w: %s: \"created\" is not RFC 3339: %w", ErrInvalid, manifestName, err)
	}
	if m.Expires, err = time.Parse(time.RFC3339, w.Expires); err != nil {
		return nil, fmt.Errorf("%w: %s: \"expires\" is not RFC 3339: %w", ErrInvalid, manifestName, err)
	}
	if err := m.checkFreshness(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, manifestName, err)
	}
	if err := checkFileDigests(w.Files); err != nil {
		return nil, err
	}
	return m, nil
}

// checkFreshness checks the fields that order bundles and bound their use;
// Build and Open both apply it.
func (m *Manifest) checkFreshness() error {
	switch {
	case m.Sequence == 0:
		return fmt.Errorf("\"sequence\" must be at least 1")
	case m.Created.IsZero() || m.Expires.IsZero():
		return fmt.Errorf("\"created\" and \"expires\" are required")
	case !m.Expires.After(m.Created):
		return fmt.Errorf("\"expires\" (%s) must be after \"created\" (%s)",
			m.Expires.UTC().Format(time.RFC3339), m.Created.UTC().Format(time.RFC3339))
	case m.Expires.Sub(m.Created) > MaxValidity:
		return fmt.Errorf("\"expires\" is %s after \"created\", more than the maximum %s",
			m.Expires.Sub(m.Created), MaxValidity)
	}
	return nil
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
