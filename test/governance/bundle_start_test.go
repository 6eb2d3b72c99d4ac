package governance

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// withStartTimeout adds policy.bundle.start_timeout to a bundleConfig.
func withStartTimeout(cfg, d string) string {
	return strings.Replace(cfg, "    on_stale: ", "    start_timeout: "+d+"\n    on_stale: ", 1)
}

// TestBundleServerLateAtStart: with no last-known-good copy and the bundle
// server not up yet, serve retries until policy.bundle.start_timeout
// instead of exiting, and becomes ready once the server answers.
func TestBundleServerLateAtStart(t *testing.T) {
	dir := t.TempDir()
	key := newSigner(t, dir, "iam.pub")
	srv := newBundleServer(t)
	srv.publish(signedBundle(t, key, "late-1", readPolicy))
	srv.setDown(true)
	p := harness.Start(t, dir, withStartTimeout(
		bundleConfig(t, dir, srv.URL, key.pubFile, filepath.Join(dir, "cache"), "1h", "deny"), "20s"))
	time.Sleep(1500 * time.Millisecond)
	select {
	case <-p.Exited:
		t.Fatalf("serve exited while the bundle server was still coming up: %v\n%s", p.ExitErr, p.Stderr.String())
	default:
	}
	srv.setDown(false)
	p.WaitReady()
	if v := readOrder(p, frontend); !v.Allow || v.Version != "late-1" {
		t.Fatalf("late bundle not served: %+v", v)
	}
}

// TestBundleStartTimeout: a server that never comes up within
// start_timeout ends serve with a clear error, not a hang.
func TestBundleStartTimeout(t *testing.T) {
	dir := t.TempDir()
	key := newSigner(t, dir, "iam.pub")
	srv := newBundleServer(t)
	srv.setDown(true)
	start := time.Now()
	p := harness.Start(t, dir, withStartTimeout(
		bundleConfig(t, dir, srv.URL, key.pubFile, filepath.Join(dir, "cache"), "1h", "deny"), "1500ms"))
	<-p.Exited
	if p.ExitErr == nil || !strings.Contains(p.Stderr.String(), "no usable bundle") {
		t.Fatalf("exit %v, stderr:\n%s", p.ExitErr, p.Stderr.String())
	}
	if time.Since(start) < time.Second {
		t.Fatalf("gave up after %s, before start_timeout", time.Since(start))
	}
}
