package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

const policyA = `@id("allow-read")
permit (principal, action == Action::"read", resource);
`

// testKey returns a deterministic ed25519 key for seed.
func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

// writeDir creates a policy directory holding files (slash paths).
func writeDir(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// archiveOf builds a valid bundle archive from in-memory files.
func archiveOf(t testing.TB, version string, files map[string]string) []byte {
	t.Helper()
	var src []sourceFile
	for p, c := range files {
		src = append(src, sourceFile{path: p, data: []byte(c)})
	}
	sort.Slice(src, func(i, j int) bool { return src[i].path < src[j].path })
	out, err := build(src, testOptions(version))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// testCreated is when the helpers' bundles are built.
var testCreated = time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)

// testOptions builds version with the sequence named by its trailing
// digits ("v2" is sequence 2; none is 1), valid for DefaultValidity.
func testOptions(version string) BuildOptions {
	digits := strings.TrimLeftFunc(version, func(r rune) bool { return r < '0' || r > '9' })
	seq, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || seq == 0 {
		seq = 1
	}
	return BuildOptions{Version: version, Sequence: seq, Created: testCreated, Expires: testCreated.Add(DefaultValidity)}
}

// rawEntry is one tar entry of a hand-made (possibly hostile) archive.
type rawEntry struct {
	name string
	data []byte
	typ  byte
	size int64 // header size when > 0 (content is then zeros)
}

// manifestEntry returns a manifest listing files with their true digests.
func manifestEntry(t testing.TB, files map[string][]byte) rawEntry {
	t.Helper()
	m := &Manifest{Version: "v1", Sequence: 1, Created: testCreated, Expires: testCreated.Add(DefaultValidity),
		Files: map[string]string{}}
	for p, d := range files {
		m.Files[p] = digestOf(d)
	}
	data, err := m.marshal()
	if err != nil {
		t.Fatal(err)
	}
	return rawEntry{name: manifestName, data: data}
}

// rawArchive writes entries as-is into a .tar.gz.
func rawArchive(t testing.TB, entries ...rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: 0o644, Size: int64(len(e.data))}
		if hdr.Typeflag == 0 {
			hdr.Typeflag = tar.TypeReg
		}
		if hdr.Typeflag == tar.TypeSymlink {
			hdr.Linkname, hdr.Size = "/etc/passwd", 0
		}
		if hdr.Typeflag == tar.TypeDir {
			hdr.Size = 0
		}
		if e.size > 0 {
			hdr.Size = e.size
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		data := e.data
		if e.size > 0 {
			data = make([]byte, e.size)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
