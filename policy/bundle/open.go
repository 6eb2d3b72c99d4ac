package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"testing/fstest"
)

// Open extracts a bundle archive into memory and checks it against its
// manifest. It does not check the signature: call Verify first, or use
// VerifyAndOpen. The returned file system holds the policy files (not the
// manifest), read-only.
//
// Open rejects absolute or ".." paths and other unclean names (ErrUnsafePath),
// non-regular entries, duplicate entries and malformed manifests (ErrInvalid),
// files missing from or not listed in the manifest and digest mismatches
// (ErrTampered), and archives over limits (ErrTooLarge).
func Open(archive []byte, limits Limits) (fs.FS, *Manifest, error) {
	fsys, m, err := openArchive(archive, limits)
	if err != nil {
		return nil, nil, wrap(err)
	}
	return fsys, m, nil
}

// VerifyAndOpen verifies the signature over archive, then opens it.
func VerifyAndOpen(archive, sig []byte, keys []ed25519.PublicKey, limits Limits) (fs.FS, *Manifest, error) {
	if err := verify(archive, sig, keys); err != nil {
		return nil, nil, wrap(err)
	}
	return Open(archive, limits)
}

func openArchive(archive []byte, limits Limits) (fs.FS, *Manifest, error) {
	limits = limits.withDefaults()
	if int64(len(archive)) > limits.MaxArchiveBytes {
		return nil, nil, fmt.Errorf("%w: archive is %d bytes, limit %d", ErrTooLarge, len(archive), limits.MaxArchiveBytes)
	}
	entries, err := readEntries(archive, limits)
	if err != nil {
		return nil, nil, err
	}
	mdata, ok := entries[manifestName]
	if !ok {
		return nil, nil, fmt.Errorf("%w: no %s in the archive", ErrInvalid, manifestName)
	}
	delete(entries, manifestName)
	m, err := parseManifest(mdata)
	if err != nil {
		return nil, nil, err
	}
	if err := matchManifest(entries, m); err != nil {
		return nil, nil, err
	}
	fsys := make(fstest.MapFS, len(entries))
	for p, data := range entries {
		fsys[p] = &fstest.MapFile{Data: data, Mode: 0o444}
	}
	return fsys, m, nil
}

// readEntries decompresses archive and returns its regular files by path.
func readEntries(archive []byte, limits Limits) (map[string][]byte, error) {
	gz, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		return nil, fmt.Errorf("%w: not gzip: %w", ErrInvalid, err)
	}
	tr := tar.NewReader(&limitedReader{r: gz, n: limits.streamLimit()})
	entries := map[string][]byte{}
	var total int64
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, archiveErr(err)
		}
		if err := checkEntry(hdr, entries, len(entries) > limits.MaxFiles); err != nil {
			return nil, err
		}
		if hdr.Name != manifestName {
			total += hdr.Size
		}
		if total > limits.MaxTotalBytes {
			return nil, fmt.Errorf("%w: files total more than %d bytes uncompressed", ErrTooLarge, limits.MaxTotalBytes)
		}
		data := make([]byte, hdr.Size)
		if _, err := io.ReadFull(tr, data); err != nil {
			return nil, archiveErr(err)
		}
		entries[hdr.Name] = data
	}
	return entries, nil
}

// maxManifestBytes bounds the manifest, which MaxTotalBytes does not count.
const maxManifestBytes = 1 << 20

func archiveErr(err error) error {
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	return fmt.Errorf("%w: corrupt archive: %w", ErrInvalid, err)
}

// checkEntry validates one tar header before its content is read.
// tooMany is true when the archive already holds MaxFiles+1 entries (the
// files and the manifest).
func checkEntry(hdr *tar.Header, seen map[string][]byte, tooMany bool) error {
	if tooMany {
		return fmt.Errorf("%w: too many files", ErrTooLarge)
	}
	if err := checkPath(hdr.Name); err != nil {
		return err
	}
	if hdr.Typeflag != tar.TypeReg {
		return fmt.Errorf("%w: entry %q is not a regular file", ErrInvalid, hdr.Name)
	}
	if _, dup := seen[hdr.Name]; dup {
		return fmt.Errorf("%w: duplicate entry %q", ErrInvalid, hdr.Name)
	}
	if hdr.Size < 0 {
		return fmt.Errorf("%w: entry %q has a negative size", ErrInvalid, hdr.Name)
	}
	if hdr.Name == manifestName && hdr.Size > maxManifestBytes {
		return fmt.Errorf("%w: %s is over %d bytes", ErrTooLarge, manifestName, maxManifestBytes)
	}
	return nil
}

// matchManifest checks that entries and m.Files list the same paths with the
// same digests.
func matchManifest(entries map[string][]byte, m *Manifest) error {
	for p, data := range entries {
		want, ok := m.Files[p]
		if !ok {
			return fmt.Errorf("%w: %q is not listed in %s", ErrTampered, p, manifestName)
		}
		if digestOf(data) != want {
			return fmt.Errorf("%w: %q does not match its digest in %s", ErrTampered, p, manifestName)
		}
	}
	for p := range m.Files {
		if _, ok := entries[p]; !ok {
			return fmt.Errorf("%w: %q is listed in %s but missing from the archive", ErrTampered, p, manifestName)
		}
	}
	return nil
}
