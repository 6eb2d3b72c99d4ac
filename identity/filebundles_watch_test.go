package identity

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/internal/testutil"
)

// Watch picks up a rotated bundle file without a restart; a broken one keeps
// the last good bundle.
func TestFileBundleReload(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bundle.pem")
	oldCA, newCA := testca.New(t, "example.org"), testca.New(t, "example.org")
	if err := os.WriteFile(path, oldCA.X509BundlePEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	files, err := NewFileBundles([]BundleFile{{TrustDomain: "example.org", X509PEM: path}})
	if err != nil {
		t.Fatal(err)
	}
	changed := make(chan struct{}, 10)
	logs := &testutil.SyncBuffer{}
	files.OnChange(func() { changed <- struct{}{} })
	files.Watch(10*time.Millisecond, slog.New(slog.NewTextHandler(logs, nil)))
	defer files.Close()
	td := spiffeid.RequireTrustDomainFromString("example.org")
	current := func() []byte {
		b, err := files.GetX509BundleForTrustDomain(td)
		if err != nil {
			t.Fatal(err)
		}
		return b.X509Authorities()[0].Raw
	}

	if err := os.WriteFile(path, []byte("not a bundle"), 0o600); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "the failed re-read to be logged", func() bool {
		return strings.Contains(logs.String(), "not reloaded")
	})
	if !bytes.Equal(current(), oldCA.Cert().Raw) {
		t.Fatal("a broken bundle file replaced the last good bundle")
	}

	if err := os.WriteFile(path, newCA.X509BundlePEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(10 * time.Second):
		t.Fatal("rotation not picked up")
	}
	if !bytes.Equal(current(), newCA.Cert().Raw) {
		t.Fatal("bundle not rotated")
	}
	if err := files.Close(); err != nil || files.Close() != nil {
		t.Fatal("Close is not idempotent")
	}
}

// A bundle file that stays broken is logged when the failure starts, not
// on every tick, and its recovery with the number of failed reloads.
func TestFileBundleReloadLogsOnce(t *testing.T) {
	ca := testca.New(t, "example.org")
	path, files := bundleFile(t, ca)
	logs := &testutil.SyncBuffer{}
	files.Watch(5*time.Millisecond, slog.New(slog.NewTextHandler(logs, nil)))
	defer files.Close()
	if err := os.WriteFile(path, []byte("not a bundle"), 0o600); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // dozens of ticks
	if n := logs.Count("level=WARN"); n != 1 {
		t.Errorf("%d WARN lines for one broken file, want 1", n)
	}
	if err := os.WriteFile(path, ca.X509BundlePEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "the recovery to be logged with the count", func() bool {
		return strings.Contains(logs.String(), "failed_reloads=")
	})
}

// Close is safe on a FileBundles never watched, and a Watch after Close
// starts nothing (no goroutine is left behind).
func TestFileBundlesCloseWithoutWatch(t *testing.T) {
	_, files := bundleFile(t, testca.New(t, "example.org"))
	if err := files.Close(); err != nil {
		t.Fatal(err)
	}
	files.Watch(time.Millisecond, nil)
	if files.watch.stop != nil {
		t.Fatal("Watch after Close started the reload loop")
	}
}

// bundleFile writes ca's bundle to a file and loads it.
func bundleFile(t *testing.T, ca *testca.CA) (string, *FileBundles) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bundle.pem")
	if err := os.WriteFile(path, ca.X509BundlePEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	files, err := NewFileBundles([]BundleFile{{TrustDomain: "example.org", X509PEM: path}})
	if err != nil {
		t.Fatal(err)
	}
	return path, files
}
