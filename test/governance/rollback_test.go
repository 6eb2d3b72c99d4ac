package governance

import (
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/policy/bundle"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// TestBundleRollbackRefused: a bundle server replaying an older signed
// bundle (one whose permit IAM has since revoked) does not roll the policy
// back, neither in the running process nor after a restart.
func TestBundleRollbackRefused(t *testing.T) {
	dir := t.TempDir()
	key := newSigner(t, dir, "iam.pub")
	srv := newBundleServer(t)
	withAnalyst := readPolicy + "\n" + `@id("analyst-reads") permit (principal == Workload::"` + analyst + `", action, resource);`
	a1, s1 := signedBundle(t, key, "r1", withAnalyst)
	srv.publish(a1, s1)
	cfg := bundleConfig(t, dir, srv.URL, key.pubFile, filepath.Join(dir, "cache"), "1h", "deny")
	p := harness.Start(t, dir, cfg)
	p.WaitReady()
	if v := readOrder(p, analyst); !v.Allow || v.Version != "r1" {
		t.Fatalf("r1: %+v", v)
	}

	// IAM revokes the analyst's permit in r2.
	srv.publish(signedBundle(t, key, "r2", readPolicy))
	testutil.Eventually(t, "r2 in force", func() bool { return readOrder(p, frontend).Version == "r2" })

	// The server replays r1.
	srv.publish(a1, s1)
	testutil.Eventually(t, "the replay refused", func() bool {
		return testutil.TextValue(p.Metrics(), `tollgate_bundle_fetch_total{result="error_rollback"}`) > 0
	})
	if v := readOrder(p, analyst); v.Allow || v.Version != "r2" {
		t.Fatalf("after the replay: %+v, want r2 in force and the analyst denied", v)
	}
	if !strings.Contains(p.Stderr.String(), "older than the bundle already accepted") {
		t.Fatalf("no clear error logged for the replay:\n%s", p.Stderr.String())
	}
	if err := p.Stop(syscall.SIGTERM); err != nil {
		t.Fatalf("stop: %v", err)
	}

	// A restart while the server still replays r1 keeps r2 from the cache.
	again := harness.Start(t, dir, cfg)
	again.WaitReady()
	if v := readOrder(again, analyst); v.Allow || v.Version != "r2" {
		t.Fatalf("after restart: %+v, want r2 from the last-known-good and the analyst denied", v)
	}
}

// TestBundleExpiryBeats304: a server that answers 304 forever cannot keep
// a bundle in force past its signed expiry; with on_stale: deny, Checks
// fail closed and readiness fails.
func TestBundleExpiryBeats304(t *testing.T) {
	dir := t.TempDir()
	key := newSigner(t, dir, "iam.pub")
	srv := newBundleServer(t)
	now := time.Now()
	archive, err := bundle.Build(policyDir(t, readPolicy), bundle.BuildOptions{
		Version: "short", Sequence: 1, Created: now, Expires: now.Add(4 * time.Second),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.publish(archive, bundle.Sign(archive, key.priv))
	p := harness.Start(t, dir, bundleConfig(t, dir, srv.URL, key.pubFile, filepath.Join(dir, "cache"), "1h", "deny"))
	p.WaitReady()
	if v := readOrder(p, frontend); !v.Allow {
		t.Fatalf("before expiry: %+v", v)
	}
	testutil.Eventually(t, "readyz 503 after the expiry", func() bool { return readyStatus(t, p) == http.StatusServiceUnavailable })
	if testutil.TextValue(p.Metrics(), `tollgate_bundle_fetch_total{result="not_modified"}`) <= 0 {
		t.Fatal("the server never answered 304: the test proves nothing")
	}
	if v := readOrder(p, frontend); v.Allow || v.Code != "stale_policy" {
		t.Fatalf("after expiry: %+v, want a stale_policy denial", v)
	}
}
