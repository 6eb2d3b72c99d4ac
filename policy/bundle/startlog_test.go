package bundle

import (
	"context"
	"strings"
	"testing"
)

// TestStartLogSaysWhetherTheServerAnswered: a bundle the server served but
// Tollgate refused is not logged as "server unavailable".
func TestStartLogSaysWhetherTheServerAnswered(t *testing.T) {
	srv := newBundleServer(t)
	srv.publish(signedPair(t, testKey(1), "v1"))
	h := newHarness(t, srv, t.TempDir(), pub(testKey(9))) // signed by an untrusted key
	if err := h.f.Start(context.Background()); err == nil {
		t.Fatal("started with a refused bundle")
	}
	logs := h.logs.String()
	if strings.Contains(logs, "unavailable") || !strings.Contains(logs, "refused") {
		t.Errorf("log does not say the server answered and the bundle was refused:\n%s", logs)
	}

	down := newBundleServer(t)
	down.Close()
	h = newHarness(t, down, t.TempDir(), pub(testKey(1)))
	_ = h.f.Start(context.Background())
	if !strings.Contains(h.logs.String(), "unavailable") {
		t.Errorf("an unreachable server is not logged as unavailable:\n%s", h.logs.String())
	}
}

// TestRepeatingCheckFailureLoggedOnce: a server that stays down is logged
// at ERROR when the failure starts, not on every poll, and its recovery is
// logged with the number of failed checks.
func TestRepeatingCheckFailureLoggedOnce(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v1"))
	h := newHarness(t, srv, t.TempDir(), pub(key))
	if err := h.f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv.setDown(true)
	for range 4 {
		_ = h.f.CheckNow(context.Background())
	}
	if n := strings.Count(h.logs.String(), "level=ERROR"); n != 1 {
		t.Errorf("%d ERROR lines for one outage, want 1:\n%s", n, h.logs.String())
	}
	srv.setDown(false)
	if err := h.f.CheckNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.logs.String(), "failed_checks=4") {
		t.Errorf("recovery not logged with the count:\n%s", h.logs.String())
	}
}
