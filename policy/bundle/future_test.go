package bundle

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestFetcherRefusesBundleCreatedInTheFuture: MaxValidity bounds expires
// minus created, so a bundle signed with "created" years ahead (a signing
// host's wrong clock) would stay fresh for years from now and never go
// stale. Its validity counted from now must be bounded too: it is refused.
func TestFetcherRefusesBundleCreatedInTheFuture(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v1"))
	h := newHarness(t, srv, t.TempDir(), pub(key))
	ctx := context.Background()
	if err := h.f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	opts := testOptions("v2")
	opts.Created = testCreated.Add(10 * 365 * 24 * time.Hour)
	opts.Expires = opts.Created.Add(DefaultValidity)
	out, err := build([]sourceFile{{path: "main.cedar", data: []byte(policyA)}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv.publish(out, Sign(out, key))
	if err := h.f.CheckNow(ctx); !errors.Is(err, ErrExpired) {
		t.Fatalf("CheckNow() with a bundle created ten years ahead = %v, want ErrExpired", err)
	}
	if got := h.rec.got(); len(got) != 1 || got[0] != "v1" {
		t.Fatalf("updates = %v, want [v1]", got)
	}
}
