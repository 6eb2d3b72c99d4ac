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
