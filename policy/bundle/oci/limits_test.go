package oci

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/registry"

	"github.com/tollgate-authz/tollgate/policy/bundle"
)

// TestHugeResponseBounded: a registry answering with an endless manifest
// is cut off at the body limit with ErrTooLarge, not read into memory.
func TestHugeResponseBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/" {
			return
		}
		w.Header().Set("Content-Type", ManifestMediaType)
		chunk := []byte(strings.Repeat(" ", 64<<10))
		for i := 0; i < 1024; i++ { // 64 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	o := plainHTTP
	o.Limits = bundle.Limits{MaxArchiveBytes: 1 << 10}
	src, err := NewSource("oci://"+strings.TrimPrefix(srv.URL, "http://")+"/iam/policy:prod", o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Fetch(context.Background(), ""); !errors.Is(err, bundle.ErrTooLarge) {
		t.Fatalf("Fetch of an endless manifest = %v, want ErrTooLarge", err)
	}
}

// FuzzParseReference: a bundle location from the config never panics, and
// what it accepts names a registry host and a tag or digest.
func FuzzParseReference(f *testing.F) {
	for _, s := range []string{"oci://registry.example:5000/iam/policy:prod", "oci://localhost/a@sha256:" + hex64, "oci://x", "oci:///:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, loc string) {
		r, err := ParseReference(loc, false)
		if err != nil {
			if !errors.Is(err, ErrReference) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		s := strings.TrimPrefix(r.String(), Scheme)
		if !strings.HasPrefix(loc, Scheme) || !strings.Contains(s, "/") || (!strings.Contains(s, ":") && !strings.Contains(s, "@")) {
			t.Fatalf("accepted %q as %q", loc, r.String())
		}
	})
}

// TestRedirectToPlainHTTPRefused: an https registry that redirects blob
// downloads to plain http (as to a storage bucket) is refused without
// AllowInsecureHTTP.
func TestRedirectToPlainHTTPRefused(t *testing.T) {
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	plain := httptest.NewServer(reg)
	t.Cleanup(plain.Close)
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/blobs/") && r.Method == http.MethodGet {
			http.Redirect(w, r, plain.URL+r.URL.Path, http.StatusTemporaryRedirect)
			return
		}
		reg.ServeHTTP(w, r)
	}))
	t.Cleanup(tlsSrv.Close)
	loc := "oci://" + strings.TrimPrefix(tlsSrv.URL, "https://") + "/iam/policy:prod"
	archive, sig := signedBundle(t, "v1", 1, testKey(1))
	o := Options{Keychain: plainHTTP.Keychain, Transport: tlsSrv.Client().Transport}
	if _, err := Push(context.Background(), loc, archive, sig, o); err != nil {
		t.Fatalf("push over https: %v", err)
	}
	src, err := NewSource(loc, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Fetch(context.Background(), ""); !errors.Is(err, ErrPlainHTTP) {
		t.Fatalf("Fetch through a redirect to http = %v, want ErrPlainHTTP", err)
	}
	o.AllowInsecureHTTP = true
	if src, err = NewSource(loc, o); err != nil {
		t.Fatal(err)
	}
	if got, err := src.Fetch(context.Background(), ""); err != nil || string(got.Archive) != string(archive) {
		t.Fatalf("Fetch with AllowInsecureHTTP = %v", err)
	}
}
