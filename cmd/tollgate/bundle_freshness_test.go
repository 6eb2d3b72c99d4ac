package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/policy/bundle"
)

// TestBundleVerifyRefusesExpired: verify answers what serve would do, so an
// expired bundle fails it.
func TestBundleVerifyRefusesExpired(t *testing.T) {
	dir := t.TempDir()
	if code, o, e := runCLI(t, "bundle", "keygen", "--out", dir); code != exitOK {
		t.Fatalf("keygen: %s%s", o, e)
	}
	key, err := bundle.LoadPrivateKey(filepath.Join(dir, "bundle-signing.key"))
	if err != nil {
		t.Fatal(err)
	}
	built := time.Now().Add(-48 * time.Hour)
	archive, err := bundle.Build(exampleDir, bundle.BuildOptions{Sequence: 1, Created: built, Expires: built.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "old.tar.gz")
	if err := os.WriteFile(out, archive, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out+bundle.SignatureSuffix, bundle.Sign(archive, key), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, e := runCLI(t, "bundle", "verify", out, "--pub", filepath.Join(dir, "bundle-signing.pub"))
	if code != exitError || !strings.Contains(e, "expired") {
		t.Fatalf("verify of an expired bundle: exit %d, stderr %s", code, e)
	}
}
