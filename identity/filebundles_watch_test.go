package identity

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/internal/testca"
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
	logs := &lockedBuffer{}
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
	deadline := time.Now().Add(10 * time.Second)
	for !logs.contains("not reloaded") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
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

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) contains(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Contains(l.b.String(), s)
}

// A bundle file that stays broken is logged when the failure starts, not
// on every tick, and its recovery with the number of failed reloads.
func TestFileBundleReloadLogsOnce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bundle.pem")
	ca := testca.New(t, "example.org")
	if err := os.WriteFile(path, ca.X509BundlePEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	files, err := NewFileBundles([]BundleFile{{TrustDomain: "example.org", X509PEM: path}})
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	files.Watch(5*time.Millisecond, slog.New(slog.NewTextHandler(logs, nil)))
	defer files.Close()
	if err := os.WriteFile(path, []byte("not a bundle"), 0o600); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // dozens of ticks
	if n := logs.count("level=WARN"); n != 1 {
		t.Errorf("%d WARN lines for one broken file, want 1", n)
	}
	if err := os.WriteFile(path, ca.X509BundlePEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !logs.contains("failed_reloads=") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !logs.contains("failed_reloads=") {
		t.Error("recovery not logged with the count")
	}
}

func (l *lockedBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), s)
}

// Close is safe on a FileBundles never watched, and a Watch after Close
// starts nothing (no goroutine is left behind).
func TestFileBundlesCloseWithoutWatch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bundle.pem")
	if err := os.WriteFile(path, testca.New(t, "example.org").X509BundlePEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	files, err := NewFileBundles([]BundleFile{{TrustDomain: "example.org", X509PEM: path}})
	if err != nil {
		t.Fatal(err)
	}
	if err := files.Close(); err != nil {
		t.Fatal(err)
	}
	files.Watch(time.Millisecond, nil)
	if files.watch.stop != nil {
		t.Fatal("Watch after Close started the reload loop")
	}
}
