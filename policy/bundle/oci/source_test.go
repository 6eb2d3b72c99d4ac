package oci

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/policy/bundle"
)

func fetches(t *testing.T, reg *prometheus.Registry, result string) float64 {
	return testutil.Value(t, reg, "tollgate_bundle_fetch_total", map[string]string{"result": result})
}

// TestPushFetchVerify: a pushed pair is fetched, verified and applied; an
// unchanged manifest digest is a not_modified check that fetches no blob.
func TestPushFetchVerify(t *testing.T) {
	host, requests := countingRegistry(t)
	loc := "oci://" + host + "/iam/policy:prod"
	key := testKey(1)
	archive, sig := signedBundle(t, "v1", 1, key)
	push(t, loc, archive, sig)
	reg := prometheus.NewRegistry()
	f, a := newFetcher(t, loc, key, t.TempDir(), reg)
	if err := f.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if a.last() != "v1" {
		t.Fatalf("applied %v, want v1", a.versions)
	}
	requests.take()
	if err := f.CheckNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := fetches(t, reg, "not_modified"); got != 1 {
		t.Errorf("not_modified checks = %v, want 1", got)
	}
	// The token and ping are reused between polls; an unchanged manifest
	// downloads no blob.
	if got := requests.take(); len(got) != 1 || got[0] != "GET /v2/iam/policy/manifests/prod" {
		t.Errorf("an unchanged poll made the requests %q, want only the manifest GET", got)
	}
	archive2, sig2 := signedBundle(t, "v2", 2, key)
	push(t, loc, archive2, sig2)
	if err := f.CheckNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if a.last() != "v2" || len(a.versions) != 2 {
		t.Errorf("applied %v, want [v1 v2]", a.versions)
	}
}

// TestRefusedPairsKeepLastGood: a pair the fetcher must refuse (signed by
// another key, an older sequence, a manifest without a signature) is
// counted and leaves the bundle in use.
func TestRefusedPairsKeepLastGood(t *testing.T) {
	key, other := testKey(1), testKey(2)
	tests := []struct {
		name   string
		pair   func(t *testing.T) ([]byte, []byte)
		want   error
		result string
	}{
		{"signed by an untrusted key", func(t *testing.T) ([]byte, []byte) { return signedBundle(t, "evil", 5, other) },
			bundle.ErrBadSignature, "error_signature"},
		{"signature of another archive", func(t *testing.T) ([]byte, []byte) {
			a, _ := signedBundle(t, "evil", 5, key)
			_, s := signedBundle(t, "v9", 9, key)
			return a, s
		}, bundle.ErrBadSignature, "error_signature"},
		{"rollback to an older sequence", func(t *testing.T) ([]byte, []byte) { return signedBundle(t, "old", 1, key) },
			bundle.ErrRollback, "error_rollback"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := "oci://" + testRegistry(t) + "/iam/policy:prod"
			archive, sig := signedBundle(t, "v3", 3, key)
			push(t, loc, archive, sig)
			reg := prometheus.NewRegistry()
			f, a := newFetcher(t, loc, key, t.TempDir(), reg)
			if err := f.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			bad, badSig := tt.pair(t)
			push(t, loc, bad, badSig)
			err := f.CheckNow(context.Background())
			if !errors.Is(err, tt.want) {
				t.Fatalf("CheckNow = %v, want %v", err, tt.want)
			}
			if a.last() != "v3" || len(a.versions) != 1 {
				t.Errorf("applied %v, want only v3", a.versions)
			}
			if got := fetches(t, reg, tt.result); got != 1 {
				t.Errorf("%s checks = %v, want 1", tt.result, got)
			}
		})
	}
}

// TestStartFallsBackToLastKnownGood: with the registry gone, a restart
// uses the verified last-known-good; with no cache, Start fails closed
// after start_timeout.
func TestStartFallsBackToLastKnownGood(t *testing.T) {
	key := testKey(1)
	host := testRegistry(t)
	loc := "oci://" + host + "/iam/policy:prod"
	archive, sig := signedBundle(t, "v1", 1, key)
	push(t, loc, archive, sig)
	cache := t.TempDir()
	f, _ := newFetcher(t, loc, key, cache, nil)
	if err := f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	gone := "oci://127.0.0.1:1/iam/policy:prod"
	f2, a2 := newFetcher(t, gone, key, cache, nil)
	if err := f2.Start(context.Background()); err != nil {
		t.Fatalf("Start with the registry down and a last-known-good: %v", err)
	}
	if a2.last() != "v1" {
		t.Errorf("applied %v, want the last-known-good v1", a2.versions)
	}
	f3, _ := newFetcher(t, gone, key, t.TempDir(), nil)
	if err := f3.Start(context.Background()); !errors.Is(err, bundle.ErrNoBundle) {
		t.Errorf("Start with the registry down and no cache = %v, want ErrNoBundle", err)
	}
}

// TestPlainHTTPRefused: without AllowInsecureHTTP, a loopback registry is
// not spoken to over plain http (go-containerregistry would fall back to it).
func TestPlainHTTPRefused(t *testing.T) {
	loc := "oci://" + testRegistry(t) + "/iam/policy:prod"
	archive, sig := signedBundle(t, "v1", 1, testKey(1))
	push(t, loc, archive, sig)
	src, err := NewSource(loc, Options{Keychain: plainHTTP.Keychain})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Fetch(context.Background(), ""); !errors.Is(err, ErrPlainHTTP) {
		t.Fatalf("Fetch over plain http without opt-in = %v, want ErrPlainHTTP", err)
	}
	if _, err := Push(context.Background(), loc, archive, sig, Options{Keychain: plainHTTP.Keychain}); !errors.Is(err, ErrPlainHTTP) {
		t.Fatalf("Push over plain http without opt-in = %v, want ErrPlainHTTP", err)
	}
}

// TestMissingTagIsStatus: a tag the registry does not have is a status
// error, not a crash or an allow.
func TestMissingTagIsStatus(t *testing.T) {
	src, err := NewSource("oci://"+testRegistry(t)+"/iam/policy:none", plainHTTP)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Fetch(context.Background(), ""); !errors.Is(err, bundle.ErrStatus) {
		t.Fatalf("Fetch of a missing tag = %v, want ErrStatus", err)
	}
}
