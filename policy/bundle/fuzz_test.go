package bundle

import (
	"crypto/ed25519"
	"testing"
)

// FuzzOpen: arbitrary archive bytes never panic, and anything accepted is
// consistent with its manifest.
func FuzzOpen(f *testing.F) {
	f.Add(archiveOf(f, "v1", map[string]string{"main.cedar": policyA, "entities.json": "[]"}))
	f.Add(rawArchive(f, rawEntry{name: "../x.cedar", data: []byte("x")}))
	f.Add([]byte{0x1f, 0x8b, 0x08})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, archive []byte) {
		fsys, m, err := Open(archive, Limits{MaxFiles: 50, MaxTotalBytes: 1 << 20})
		if err != nil {
			if fsys != nil || m != nil {
				t.Fatal("Open returned content with an error")
			}
			return
		}
		for p, want := range m.Files {
			data, err := fsys.Open(p)
			if err != nil {
				t.Fatalf("listed file %q not in the FS: %v", p, err)
			}
			_ = data.Close()
			if !validDigest(want) {
				t.Fatalf("accepted bad digest %q", want)
			}
		}
	})
}

// FuzzParseManifest: arbitrary manifest JSON never panics; accepted
// manifests hold only safe paths.
func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"version":"v1","created":"2024-06-01T10:00:00Z","files":{"a.cedar":"sha256:` +
		"0000000000000000000000000000000000000000000000000000000000000000" + `"}}`))
	f.Add([]byte(`{"version":"","files":null}`))
	f.Add([]byte(`{"version":"v2","sequence":7,"created":"2024-06-01T10:00:00Z","expires":"2024-06-04T10:00:00Z","files":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseManifest(data)
		if err != nil {
			return
		}
		if m.Sequence == 0 || !m.Expires.After(m.Created) || m.Expires.Sub(m.Created) > MaxValidity {
			t.Fatalf("accepted a manifest without a valid sequence and expiry: %+v", m)
		}
		for p := range m.Files {
			if checkPath(p) != nil || !allowedPath(p) {
				t.Fatalf("accepted path %q", p)
			}
		}
	})
}

// FuzzVerify: arbitrary signature files never panic and never verify
// against an archive they were not made for.
func FuzzVerify(f *testing.F) {
	key := testKey(1)
	f.Add(Sign([]byte("other"), key))
	f.Add([]byte("AAAA"))
	f.Fuzz(func(t *testing.T, sig []byte) {
		if Verify([]byte("archive"), sig, []ed25519.PublicKey{pub(key)}) == nil {
			t.Fatalf("signature %q verified for an archive nobody signed", sig)
		}
	})
}
