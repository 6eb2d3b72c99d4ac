package bundle

import (
	"crypto/ed25519"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/policy"
)

// bundleServer serves one archive and its signature, with ETags, over a real
// HTTPS (or, for redirect tests, plain HTTP) server.
type bundleServer struct {
	*httptest.Server
	mu        sync.Mutex
	archive   []byte
	sig       []byte
	sigStatus int // when non-zero, the .sig answer
	down      bool
	afterSig  func(s *bundleServer) // when set, called (locked) after each .sig answer
}

func newBundleServer(t *testing.T) *bundleServer {
	s := &bundleServer{}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// newPlainBundleServer serves over plain http.
func newPlainBundleServer(t *testing.T) *bundleServer {
	s := &bundleServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// url of the bundle, with a query credential that must never be logged.
func (s *bundleServer) url() string { return s.URL + "/bundles/bundle.tar.gz?token=s3cret" }

func (s *bundleServer) publish(archive, sig []byte) { s.publishStatus(archive, sig, 0) }

func (s *bundleServer) publishStatus(archive, sig []byte, sigStatus int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.archive, s.sig, s.sigStatus = archive, sig, sigStatus
}

// setDown makes every answer a 503.
func (s *bundleServer) setDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

func (s *bundleServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	if r.URL.Query().Get("token") != "s3cret" {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	switch r.URL.Path {
	case "/bundles/bundle.tar.gz":
		etag := `"` + digestOf(s.archive)[len(digestPrefix):] + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write(s.archive)
	case "/bundles/bundle.tar.gz.sig":
		if s.sigStatus != 0 {
			w.WriteHeader(s.sigStatus)
			return
		}
		_, _ = w.Write(s.sig)
		if s.afterSig != nil {
			s.afterSig(s)
		}
	default:
		http.NotFound(w, r)
	}
}

// fakeClock is an injectable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// recorder collects the versions of the bundles Load accepted.
type recorder struct {
	mu       sync.Mutex
	versions []string
	updates  chan string
}

// load is the Fetcher's Load: it refuses bundles holding reject.cedar
// (rejectMarked), loads the rest and records their version.
func (r *recorder) load(fsys fs.FS, m *Manifest) (*policy.Snapshot, error) {
	if err := rejectMarked(fsys); err != nil {
		return nil, err
	}
	snap, err := policy.Load(fsys, policy.Options{})
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.versions = append(r.versions, m.Version)
	r.mu.Unlock()
	select {
	case r.updates <- m.Version:
	default:
	}
	return snap, nil
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.versions...)
}

// rejectMarked refuses bundles holding reject.cedar.
func rejectMarked(fsys fs.FS) error {
	if _, err := fs.Stat(fsys, "reject.cedar"); err == nil {
		return errors.New("policy: reject.cedar: refused by the test validator")
	}
	return nil
}

type harness struct {
	logs  *testutil.SyncBuffer
	f     *Fetcher
	rec   *recorder
	store *policy.Store // where the Fetcher publishes
	reg   *prometheus.Registry
	clock *fakeClock
}

func newHarness(t *testing.T, srv *bundleServer, cacheDir string, keys ...ed25519.PublicKey) *harness {
	t.Helper()
	h := &harness{logs: &testutil.SyncBuffer{}, rec: &recorder{updates: make(chan string, 16)}, reg: prometheus.NewRegistry(),
		clock: &fakeClock{t: time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)}, store: policy.NewStore(nil)}
	var err error
	h.f, err = NewFetcher(FetcherConfig{
		URL: srv.url(), Client: srv.Client(), PublicKeys: keys, CacheDir: cacheDir, Interval: time.Hour, MaxStaleness: time.Minute,
		StartTimeout: time.Nanosecond, // no retries at start: tests count each fetch
		Load:         h.rec.load, Store: h.store, Registerer: h.reg, Clock: h.clock.Now,
		Logger: slog.New(slog.NewTextHandler(h.logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.f.Close() })
	return h
}

func signed(t *testing.T, key ed25519.PrivateKey, version string, files map[string]string) ([]byte, []byte) {
	archive := archiveOf(t, version, files)
	return archive, Sign(archive, key)
}

func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error leaks the URL query: %v", err)
	}
}
