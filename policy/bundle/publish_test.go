package bundle

import (
	"context"
	"testing"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

// TestFetcherPollDuringPublish: a poll that lands between the publisher
// replacing the archive and replacing its signature sees a mismatched pair.
// The fetcher fetches the pair again once in the same check and takes the
// new bundle, without counting a bad signature.
func TestFetcherPollDuringPublish(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	a1, s1 := signedPair(t, key, "v1")
	srv.publish(a1, s1)
	h := newHarness(t, srv, t.TempDir(), pub(key))
	if err := h.f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	a2, s2 := signedPair(t, key, "v2")
	srv.mu.Lock()
	srv.archive = a2 // the archive is renamed into place; the signature not yet
	srv.afterSig = func(s *bundleServer) { s.sig, s.afterSig = s2, nil }
	srv.mu.Unlock()
	if err := h.f.CheckNow(context.Background()); err != nil {
		t.Fatalf("check during publish: %v", err)
	}
	if v := h.rec.last(); v != "v2" {
		t.Fatalf("in use: %q, want v2", v)
	}
	if n := testutil.MustValue(t, h.reg, "tollgate_bundle_fetch_total", map[string]string{"result": resultSignature}); n != 0 {
		t.Fatalf("error_signature counted %v times for a publish in progress", n)
	}
}

// TestFetcherMismatchedPairStillRefused: a pair that stays mismatched is
// refused and counted as a bad signature after the one extra fetch.
func TestFetcherMismatchedPairStillRefused(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	a1, s1 := signedPair(t, key, "v1")
	srv.publish(a1, s1)
	h := newHarness(t, srv, t.TempDir(), pub(key))
	if err := h.f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	a2, _ := signedPair(t, key, "v2")
	srv.publish(a2, s1)
	if err := h.f.CheckNow(context.Background()); err == nil {
		t.Fatal("a mismatched pair was accepted")
	}
	if v := h.rec.last(); v != "v1" {
		t.Fatalf("in use: %q, want v1", v)
	}
	if n := testutil.MustValue(t, h.reg, "tollgate_bundle_fetch_total", map[string]string{"result": resultSignature}); n != 1 {
		t.Fatalf("error_signature = %v, want 1", n)
	}
}

// last is the version most recently accepted by Load; "" if none.
func (r *recorder) last() string {
	v := r.got()
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}
