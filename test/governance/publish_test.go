package governance

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// TestPublishWhilePolling: a publisher replaces the archive and then its
// signature while Tollgate polls every 100ms. Polls that land between the
// two see a mismatched pair; none is counted as a bad signature, and the
// new bundle is taken.
func TestPublishWhilePolling(t *testing.T) {
	dir := t.TempDir()
	key := newSigner(t, dir, "iam.pub")
	srv := newBundleServer(t)
	srv.publish(signedBundle(t, key, "pub-1", readPolicy))
	p := harness.Start(t, dir, bundleConfig(t, dir, srv.URL, key.pubFile, filepath.Join(dir, "cache"), "1h", "deny"))
	p.WaitReady()
	for _, want := range []string{"pub-2", "pub-3", "pub-4"} {
		a, s := signedBundle(t, key, want, readPolicy)
		srv.mu.Lock()
		srv.archive = a // renamed into place first; the old signature stays
		srv.mu.Unlock()
		time.Sleep(150 * time.Millisecond) // at least one 100ms poll sees the mismatched pair
		srv.publish(a, s)                  // the signature follows
		testutil.Eventually(t, want+" in use", func() bool { return readOrder(p, frontend).Version == want })
	}
	if n := testutil.TextValue(p.Metrics(), `tollgate_bundle_fetch_total{result="error_signature"}`); n != 0 {
		t.Fatalf("error_signature = %v during ordinary publishes", n)
	}
}
