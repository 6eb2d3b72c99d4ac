package main

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/registry"

	"github.com/tollgate-authz/tollgate/policy/bundle"
	"github.com/tollgate-authz/tollgate/policy/bundle/oci"
)

// signedExample builds and signs the example policies in a temp dir.
func signedExample(t *testing.T) (dir, archive string) {
	t.Helper()
	dir = t.TempDir()
	archive = filepath.Join(dir, "bundle.tar.gz")
	for _, args := range [][]string{
		{"bundle", "keygen", "--out", dir},
		{"bundle", "build", exampleDir, "-o", archive},
		{"bundle", "sign", archive, "--key", filepath.Join(dir, "bundle-signing.key")},
	} {
		if code, o, e := runCLI(t, args...); code != exitOK {
			t.Fatalf("%v: %s%s", args, o, e)
		}
	}
	return dir, archive
}

// TestBundlePush: push publishes a verified bundle that an oci Source
// fetches back byte for byte; a bundle that does not verify, a bad
// reference and plain http without the flag are clear errors.
func TestBundlePush(t *testing.T) {
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	loc := "oci://" + strings.TrimPrefix(srv.URL, "http://") + "/iam/policy:prod"
	dir, archive := signedExample(t)
	pub := filepath.Join(dir, "bundle-signing.pub")

	code, out, errOut := runCLI(t, "bundle", "push", archive, "--pub", pub, "--allow-insecure-http", loc)
	if code != exitOK || !strings.Contains(out, "manifest sha256:") {
		t.Fatalf("push: exit %d\n%s%s", code, out, errOut)
	}
	src, err := oci.NewSource(loc, oci.Options{AllowInsecureHTTP: true, Keychain: authn.NewMultiKeychain()})
	if err != nil {
		t.Fatal(err)
	}
	got, err := src.Fetch(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(archive)
	wantSig, _ := os.ReadFile(archive + bundle.SignatureSuffix)
	if string(got.Archive) != string(want) || string(got.Signature) != string(wantSig) {
		t.Error("fetched pair differs from the pushed files")
	}

	other, _ := signedExample(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"untrusted key", []string{archive, "--pub", filepath.Join(other, "bundle-signing.pub"), "--allow-insecure-http", loc}, exitError, "signature not valid"},
		{"no pub", []string{archive, "--allow-insecure-http", loc}, exitError, "--pub is required"},
		{"missing signature", []string{archive, "--sig", archive + ".nope", "--pub", pub, "--allow-insecure-http", loc}, exitError, "no signature"},
		{"not oci", []string{archive, "--pub", pub, "https://x.example/b.tar.gz"}, exitError, "not an oci:// reference"},
		{"no tag", []string{archive, "--pub", pub, strings.TrimSuffix(loc, ":prod")}, exitError, "not an oci:// reference"},
		{"plain http without the flag", []string{archive, "--pub", pub, loc}, exitError, "refusing plain http"},
		{"one argument", []string{archive, "--pub", pub}, exitUsage, "want 2 argument(s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"bundle", "push"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, want %d; stderr %q, want %q\n%s", code, tt.code, errOut, tt.want, out)
			}
		})
	}
}
