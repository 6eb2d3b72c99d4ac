package oci

import (
	"context"
	"crypto/ed25519"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/policy/bundle"
)

var testCreated = time.Now().Add(-time.Minute).Truncate(time.Second)

func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed([]byte(strings.Repeat(string(rune('a'+seed)), ed25519.SeedSize)))
}

// signedBundle builds a bundle with one policy file and signs it with key.
func signedBundle(t testing.TB, version string, seq uint64, key ed25519.PrivateKey) (archive, sig []byte) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.cedar"), []byte("@id(\""+version+"\")\npermit(principal, action, resource);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	archive, err := bundle.Build(dir, bundle.BuildOptions{Version: version, Sequence: seq,
		Created: testCreated, Expires: testCreated.Add(bundle.DefaultValidity)})
	if err != nil {
		t.Fatal(err)
	}
	return archive, bundle.Sign(archive, key)
}

// testRegistry is go-containerregistry's in-process registry on loopback.
func testRegistry(t testing.TB) (host string) {
	host, _ = countingRegistry(t)
	return host
}

// requestLog records the requests a registry served.
type requestLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *requestLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.lines
	l.lines = nil
	return out
}

// countingRegistry is testRegistry, recording "METHOD path" of each request.
func countingRegistry(t testing.TB) (string, *requestLog) {
	t.Helper()
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	rl := &requestLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rl.mu.Lock()
		rl.lines = append(rl.lines, r.Method+" "+r.URL.Path)
		rl.mu.Unlock()
		reg.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), rl
}

var plainHTTP = Options{AllowInsecureHTTP: true, Keychain: authn.NewMultiKeychain()}

func push(t testing.TB, loc string, archive, sig []byte) string {
	t.Helper()
	d, err := Push(context.Background(), loc, archive, sig, plainHTTP)
	if err != nil {
		t.Fatalf("Push: %v", err)
	}
	return d
}

// applied records the bundles a Fetcher hands over.
type applied struct {
	mu       sync.Mutex
	versions []string
}

func (a *applied) onUpdate(_ fs.FS, m *bundle.Manifest, _ string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.versions = append(a.versions, m.Version)
	return nil
}

func (a *applied) last() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.versions) == 0 {
		return ""
	}
	return a.versions[len(a.versions)-1]
}

// newFetcher is a bundle.Fetcher on an oci Source for loc.
func newFetcher(t testing.TB, loc string, key ed25519.PrivateKey, cache string, reg prometheus.Registerer) (*bundle.Fetcher, *applied) {
	t.Helper()
	src, err := NewSource(loc, plainHTTP)
	if err != nil {
		t.Fatal(err)
	}
	a := &applied{}
	f, err := bundle.NewFetcher(bundle.FetcherConfig{Source: src, PublicKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)},
		CacheDir: cache, Interval: time.Hour, StartTimeout: time.Second, Registerer: reg,
		Validate: func(fs.FS) error { return nil }, OnUpdate: a.onUpdate})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, a
}
