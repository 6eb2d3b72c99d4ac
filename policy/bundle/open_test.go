package bundle

import (
	"archive/tar"
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestOpenRoundTrip(t *testing.T) {
	archive := archiveOf(t, "v7", map[string]string{"main.cedar": policyA, "sub/x.cedar": policyA, "entities.json": "[]"})
	fsys, m, err := Open(archive, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "v7" || len(m.Files) != 3 || m.Created.IsZero() {
		t.Fatalf("manifest = %+v", m)
	}
	if data, err := fs.ReadFile(fsys, "sub/x.cedar"); err != nil || string(data) != policyA {
		t.Fatalf("sub/x.cedar = %q, %v", data, err)
	}
	if _, err := fs.Stat(fsys, manifestName); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("manifest visible in the file system: %v", err)
	}
}

func TestOpenRejectsHostileArchives(t *testing.T) {
	body := []byte(policyA)
	listed := func(names ...string) rawEntry {
		files := map[string][]byte{}
		for _, n := range names {
			files[n] = body
		}
		return manifestEntry(t, files)
	}
	reg := func(name string) rawEntry { return rawEntry{name: name, data: body} }
	tests := []struct {
		name    string
		archive []byte
		limits  Limits
		want    error
	}{
		{"path traversal", rawArchive(t, listed("main.cedar"), reg("main.cedar"), reg("../evil.cedar")), Limits{}, ErrUnsafePath},
		{"nested traversal", rawArchive(t, listed("main.cedar"), reg("sub/../../evil.cedar")), Limits{}, ErrUnsafePath},
		{"absolute path", rawArchive(t, listed("main.cedar"), reg("/etc/evil.cedar")), Limits{}, ErrUnsafePath},
		{"dot prefix", rawArchive(t, listed("main.cedar"), reg("./main.cedar")), Limits{}, ErrUnsafePath},
		{"backslash", rawArchive(t, listed("main.cedar"), reg(`sub\..\evil.cedar`)), Limits{}, ErrUnsafePath},
		{"symlink entry", rawArchive(t, listed("main.cedar"), rawEntry{name: "link.cedar", typ: tar.TypeSymlink}), Limits{}, ErrInvalid},
		{"directory entry", rawArchive(t, listed("main.cedar"), rawEntry{name: "sub", typ: tar.TypeDir}), Limits{}, ErrInvalid},
		{"duplicate entry", rawArchive(t, listed("main.cedar"), reg("main.cedar"), reg("main.cedar")), Limits{}, ErrInvalid},
		{"no manifest", rawArchive(t, reg("main.cedar")), Limits{}, ErrInvalid},
		{"unlisted file", rawArchive(t, listed("main.cedar"), reg("main.cedar"), reg("extra.cedar")), Limits{}, ErrTampered},
		{"listed file missing", rawArchive(t, listed("main.cedar", "gone.cedar"), reg("main.cedar")), Limits{}, ErrTampered},
		{"digest mismatch", rawArchive(t, listed("main.cedar"), rawEntry{name: "main.cedar", data: []byte("permit(principal,action,resource);")}), Limits{}, ErrTampered},
		{"disallowed file type", rawArchive(t, listed("run.sh"), reg("run.sh")), Limits{}, ErrInvalid},
		{"file and directory clash", rawArchive(t, listed("a.cedar", "a.cedar/b.cedar"), reg("a.cedar"), reg("a.cedar/b.cedar")), Limits{}, ErrInvalid},
		{"bad manifest JSON", rawArchive(t, rawEntry{name: manifestName, data: []byte(`{"version":"v1","extra":1}`)}), Limits{}, ErrInvalid},
		{"too many files", rawArchive(t, listed("a.cedar", "b.cedar", "c.cedar"), reg("a.cedar"), reg("b.cedar"), reg("c.cedar")), Limits{MaxFiles: 2}, ErrTooLarge},
		{"over the total size limit", rawArchive(t, listed("main.cedar"), reg("main.cedar")), Limits{MaxTotalBytes: 10}, ErrTooLarge},
		{"over the archive size limit", rawArchive(t, listed("main.cedar"), reg("main.cedar")), Limits{MaxArchiveBytes: 10}, ErrTooLarge},
		{"not gzip", []byte("plain text"), Limits{}, ErrInvalid},
		{"truncated", rawArchive(t, listed("main.cedar"), reg("main.cedar"))[:40], Limits{}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys, m, err := Open(tt.archive, tt.limits)
			if !errors.Is(err, tt.want) || fsys != nil || m != nil {
				t.Fatalf("Open() = %v, %v, %v; want %v", fsys, m, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "bundle: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

// A real zip bomb: 65 MiB of zeros, correctly listed in its manifest,
// compresses to about 64 KiB and must hit the default 64 MiB limit.
func TestOpenRejectsZipBomb(t *testing.T) {
	const size = DefaultMaxTotalBytes + 1<<20
	zeros := make([]byte, size)
	archive := rawArchive(t, manifestEntry(t, map[string][]byte{"bomb.cedar": zeros}),
		rawEntry{name: "bomb.cedar", size: size})
	if len(archive) > DefaultMaxArchiveBytes {
		t.Fatalf("bomb is %d bytes compressed; the test needs it under the archive limit", len(archive))
	}
	if _, _, err := Open(archive, Limits{}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Open() = %v, want ErrTooLarge", err)
	}
}
