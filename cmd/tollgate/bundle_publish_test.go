package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/tollgate-authz/tollgate/policy/bundle"
)

// heldOpen opens path as a web server serving it would: a reader that is
// mid-download keeps the file it opened.
func heldOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func readAll(t *testing.T, f *os.File) string {
	t.Helper()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestBundleBuildAndSignReplaceAtomically: build and sign write a new file
// and rename it into place, so a reader of the served archive or signature
// sees the old file or the new one whole, never a truncated or mixed one.
func TestBundleBuildAndSignReplaceAtomically(t *testing.T) {
	dir := t.TempDir()
	if code, o, e := runCLI(t, "bundle", "keygen", "--out", dir); code != exitOK {
		t.Fatalf("keygen: %s%s", o, e)
	}
	out := filepath.Join(dir, "bundle.tar.gz")
	sig := out + bundle.SignatureSuffix
	for _, p := range []string{out, sig} {
		if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	oldArchive, oldSig := heldOpen(t, out), heldOpen(t, sig)
	if code, o, e := runCLI(t, "bundle", "build", exampleDir, "-o", out); code != exitOK {
		t.Fatalf("build: %s%s", o, e)
	}
	if code, o, e := runCLI(t, "bundle", "sign", out, "--key", filepath.Join(dir, "bundle-signing.key")); code != exitOK {
		t.Fatalf("sign: %s%s", o, e)
	}
	if got := readAll(t, oldArchive); got != "old" {
		t.Errorf("build rewrote the served archive in place (a reader saw %d new bytes)", len(got))
	}
	if got := readAll(t, oldSig); got != "old" {
		t.Errorf("sign rewrote the served signature in place (a reader saw %d new bytes)", len(got))
	}
	if code, o, e := runCLI(t, "bundle", "verify", out, "--pub", filepath.Join(dir, "bundle-signing.pub")); code != exitOK {
		t.Fatalf("verify after publish: %s%s", o, e)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 { // key, pub, archive, signature: no temporary files left
		t.Errorf("files left in %s: %v", dir, entries)
	}
}
