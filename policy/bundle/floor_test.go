package bundle

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestFetcherEnforcesOnlyAFlooredBundle: the highest accepted sequence
// must be on disk before a bundle is enforced, or a crash or a failed
// write after the swap lets a restarted Tollgate accept the older bundle
// again (the server replays v1 after v2 was enforced). A bundle whose
// floor cannot be saved is refused and the current one stays.
func TestFetcherEnforcesOnlyAFlooredBundle(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v1"))
	cache := t.TempDir()
	h := newHarness(t, srv, cache, pub(key))
	ctx := context.Background()
	if err := h.f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// Make cache/highest unwritable, whoever runs the test (root too):
	// a rename onto a non-empty directory fails.
	highest := filepath.Join(cache, highestFile)
	if err := os.Remove(highest); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(highest, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	srv.publish(signedPair(t, key, "v2"))
	if err := h.f.CheckNow(ctx); err == nil {
		t.Fatal("CheckNow() enforced v2 although its sequence could not be saved")
	}
	if got := h.store.Version(); got != "v1" {
		t.Fatalf("store version = %q after a bundle whose floor was not saved, want v1 kept", got)
	}
	// Once the floor can be saved, v2 is accepted and recorded.
	if err := os.RemoveAll(highest); err != nil {
		t.Fatal(err)
	}
	if err := h.f.CheckNow(ctx); err != nil {
		t.Fatalf("CheckNow() = %v, want v2 accepted", err)
	}
	data, err := os.ReadFile(highest)
	if err != nil || h.store.Version() != "v2" || data[0] != '2' {
		t.Fatalf("after v2: store %q, highest %q (%v); want v2 and sequence 2", h.store.Version(), data, err)
	}
}

// TestFetcherLastKnownGoodCheckTimeNotInTheFuture: the last-known-good's
// check time is read back from the cache (the mtime of "current"), which
// is trusted for neither content nor freshness. A time ahead of the clock
// (a clock that was wrong when it was written, or a touched file) made
// the cached bundle fresh until then, so max_staleness stopped bounding
// how long the server may be unreachable. It counts as now at most.
func TestFetcherLastKnownGoodCheckTimeNotInTheFuture(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v1"))
	cache := t.TempDir()
	first := newHarness(t, srv, cache, pub(key))
	if err := first.f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	_ = first.f.Close()
	srv.Close()
	future := first.clock.Now().Add(24 * time.Hour)
	if err := os.Chtimes(filepath.Join(cache, currentFile), future, future); err != nil {
		t.Fatal(err)
	}
	second := newHarness(t, srv, cache, pub(key))
	if err := second.f.Start(context.Background()); err != nil {
		t.Fatalf("Start with the server down and a last-known-good = %v", err)
	}
	if got := second.f.LastSuccess(); got.After(second.clock.Now()) {
		t.Errorf("LastSuccess = %v, after the clock %v", got, second.clock.Now())
	}
	second.clock.Advance(time.Minute + time.Second) // past MaxStaleness, the server still down
	if !second.f.Stale() {
		t.Fatal("Stale() = false past max_staleness with the server unreachable: the cache's future check time kept it fresh")
	}
}
