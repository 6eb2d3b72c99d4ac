package bundle

import (
	"context"
	"crypto/ed25519"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/policy"
)

// TestFetcherCountsHTTPStatusFailures: a bundle server answering with an
// error status is reachable; it is counted as error_status, not as a
// network failure.
func TestFetcherCountsHTTPStatusFailures(t *testing.T) {
	key := testKey(1)
	for _, tt := range []struct {
		name  string
		setup func(*bundleServer)
	}{
		{"archive 503", func(s *bundleServer) { s.setDown(true) }},
		{"signature 500", func(s *bundleServer) {
			a, _ := signedPair(t, key, "v2")
			s.publishStatus(a, nil, http.StatusInternalServerError)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newBundleServer(t)
			srv.publish(signedPair(t, key, "v1"))
			h := newHarness(t, srv, "", pub(key))
			if err := h.f.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			tt.setup(srv)
			if err := h.f.CheckNow(context.Background()); err == nil {
				t.Fatal("CheckNow() succeeded against an error status")
			}
			if got := testutil.MustValue(t, h.reg, "tollgate_bundle_fetch_total", map[string]string{"result": resultStatus}); got != 1 {
				t.Errorf("fetch_total{error_status} = %v, want 1", got)
			}
			if got := testutil.MustValue(t, h.reg, "tollgate_bundle_fetch_total", map[string]string{"result": resultNetwork}); got != 0 {
				t.Errorf("fetch_total{error_network} = %v, want 0", got)
			}
		})
	}
}

// TestFetcherRefusesReplayOfOlderBundle: a server (or anyone on the path)
// replaying an older signed bundle must not roll the policy back, neither
// while running nor across a restart.
func TestFetcherRefusesReplayOfOlderBundle(t *testing.T) {
	key := testKey(1)
	a1, s1 := signedPair(t, key, "v1")
	srv := newBundleServer(t)
	srv.publish(a1, s1)
	cache := t.TempDir()
	h := newHarness(t, srv, cache, pub(key))
	ctx := context.Background()
	if err := h.f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	srv.publish(signedPair(t, key, "v2"))
	if err := h.f.CheckNow(ctx); err != nil {
		t.Fatal(err)
	}
	srv.publish(a1, s1)
	if err := h.f.CheckNow(ctx); !errors.Is(err, ErrRollback) {
		t.Fatalf("CheckNow() with a replay of v1 after v2 = %v, want ErrRollback", err)
	}
	if got := testutil.MustValue(t, h.reg, "tollgate_bundle_fetch_total", map[string]string{"result": resultRollback}); got != 1 {
		t.Errorf("fetch_total{error_rollback} = %v, want 1", got)
	}
	if got := h.rec.got(); !slices.Equal(got, []string{"v1", "v2"}) {
		t.Fatalf("updates = %v, want [v1 v2]", got)
	}
	_ = h.f.Close()

	restarted := newHarness(t, srv, cache, pub(key))
	if err := restarted.f.Start(ctx); err != nil {
		t.Fatalf("Start() with a replayed v1 and v2 cached = %v, want the cached v2", err)
	}
	if got := restarted.rec.got(); !slices.Equal(got, []string{"v2"}) {
		t.Fatalf("after restart, updates = %v, want [v2] (the replayed v1 refused)", got)
	}
}

// TestFetcherExpiredBundleIsStaleDespite304: a server answering 304 forever
// cannot keep a bundle fresh past its signed expiry.
func TestFetcherExpiredBundleIsStaleDespite304(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v1"))
	h := newHarness(t, srv, "", pub(key))
	ctx := context.Background()
	if err := h.f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// Bundles of the helpers are built 2024-06-01T10:00Z; the clock starts
	// two hours later. A week of hourly 304s passes the default expiry.
	expires := testCreated.Add(DefaultValidity)
	for i := 0; i < 7*24; i++ {
		h.clock.Advance(time.Hour)
		if err := h.f.CheckNow(ctx); err != nil {
			t.Fatal(err)
		}
		if want := !h.clock.Now().Before(expires); h.f.Stale() != want {
			t.Fatalf("at %s (expires %s), Stale() = %v, want %v", h.clock.Now(), expires, !want, want)
		}
	}
	if err := h.f.Fresh(); !errors.Is(err, ErrExpired) {
		t.Errorf("Fresh() = %v, want ErrExpired", err)
	}
	if !h.f.Stale() {
		t.Fatal("Stale() = false a week after the bundle was built: 304s kept an expired bundle fresh")
	}
	if got := testutil.MustValue(t, h.reg, "tollgate_bundle_stale", nil); got != 1 {
		t.Errorf("tollgate_bundle_stale = %v, want 1", got)
	}
}

// TestFetcherRefusesExpiredBundle: a bundle already past its expiry is
// never accepted, from the server or from the cache.
func TestFetcherRefusesExpiredBundle(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v1"))
	h := newHarness(t, srv, t.TempDir(), pub(key))
	h.clock.Advance(30 * 24 * time.Hour)
	if err := h.f.Start(context.Background()); !errors.Is(err, ErrNoBundle) || !errors.Is(err, ErrExpired) {
		t.Fatalf("Start() with an expired bundle = %v, want ErrNoBundle and ErrExpired", err)
	}
	if got := h.rec.got(); len(got) != 0 {
		t.Fatalf("updates = %v, want none", got)
	}
}

// TestFetcherRefusesBundleWithoutFreshness: a bundle whose signed manifest
// carries no sequence and no expiry (built by an older tollgate) is
// refused, with a message that says how to rebuild it.
func TestFetcherRefusesBundleWithoutFreshness(t *testing.T) {
	key := testKey(1)
	legacy := rawArchive(t, rawEntry{name: manifestName, data: []byte(`{
  "created": "2024-06-01T10:00:00Z",
  "files": {"main.cedar": "` + digestOf([]byte(policyA)) + `"},
  "version": "old"
}
`)}, rawEntry{name: "main.cedar", data: []byte(policyA)})
	srv := newBundleServer(t)
	srv.publish(legacy, Sign(legacy, key))
	h := newHarness(t, srv, "", pub(key))
	err := h.f.Start(context.Background())
	if !errors.Is(err, ErrNoBundle) || !errors.Is(err, ErrLegacy) || !strings.Contains(err.Error(), "tollgate bundle build") {
		t.Fatalf("Start() with a bundle without sequence and expiry = %v, want ErrNoBundle, ErrLegacy and how to rebuild", err)
	}
	if got := h.rec.got(); len(got) != 0 {
		t.Fatalf("updates = %v, want none", got)
	}
}

// TestFetcherRequiresHTTPS: plain http:// URLs are refused, and an https
// server cannot redirect the fetcher to plain http.
func TestFetcherRequiresHTTPS(t *testing.T) {
	key := testKey(1)
	cfg := FetcherConfig{URL: "http://bundles.example/b.tar.gz", PublicKeys: []ed25519.PublicKey{pub(key)},
		Load: (&recorder{}).load, Store: policy.NewStore(nil)}
	if _, err := NewFetcher(cfg); err == nil {
		t.Error("NewFetcher accepted a plain http:// URL")
	}
	cfg.URL, cfg.SignatureURL = "https://bundles.example/b.tar.gz", "http://bundles.example/b.tar.gz.sig"
	if _, err := NewFetcher(cfg); err == nil {
		t.Error("NewFetcher accepted a plain http:// signature URL")
	}

	plain := newPlainBundleServer(t)
	plain.publish(signedPair(t, key, "v1"))
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+r.URL.RequestURI(), http.StatusFound)
	}))
	t.Cleanup(tlsSrv.Close)
	rec := &recorder{updates: make(chan string, 4)}
	f, err := NewFetcher(FetcherConfig{URL: tlsSrv.URL + "/bundles/bundle.tar.gz?token=s3cret",
		PublicKeys: []ed25519.PublicKey{pub(key)}, Client: tlsSrv.Client(),
		Load: rec.load, Store: policy.NewStore(nil)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	if err := f.Start(context.Background()); err == nil {
		t.Fatal("Start() followed a redirect from https to plain http")
	}
	if got := rec.got(); len(got) != 0 {
		t.Fatalf("updates = %v, want none", got)
	}
}

// TestFetcherRefusesOtherBundleAtSameSequence: two different bundles with
// one sequence are an equivocation; the second is refused.
func TestFetcherRefusesOtherBundleAtSameSequence(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v3"))
	h := newHarness(t, srv, t.TempDir(), pub(key))
	ctx := context.Background()
	if err := h.f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	srv.publish(signed(t, key, "v3", map[string]string{"main.cedar": policyA, "more.cedar": policyA}))
	if err := h.f.CheckNow(ctx); !errors.Is(err, ErrRollback) {
		t.Fatalf("CheckNow() with other content at sequence 3 = %v, want ErrRollback", err)
	}
	// The same bundle again is fine (a restart, a lost ETag).
	srv.publish(signedPair(t, key, "v3"))
	if err := h.f.CheckNow(ctx); err != nil {
		t.Fatalf("CheckNow() with the accepted bundle again = %v", err)
	}
}

// TestFetcherFloorSurvivesLosingTheCachedBundle: the highest accepted
// sequence is kept apart from the bundle; without the bundle, an older one
// is still refused. A damaged record stops Start rather than reset it.
func TestFetcherFloorSurvivesLosingTheCachedBundle(t *testing.T) {
	key := testKey(1)
	a1, s1 := signedPair(t, key, "v1")
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v2"))
	cache := t.TempDir()
	first := newHarness(t, srv, cache, pub(key))
	if err := first.f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	_ = first.f.Close()
	if err := os.Remove(filepath.Join(cache, currentFile)); err != nil {
		t.Fatal(err)
	}
	srv.publish(a1, s1)
	second := newHarness(t, srv, cache, pub(key))
	if err := second.f.Start(context.Background()); !errors.Is(err, ErrNoBundle) || !errors.Is(err, ErrRollback) {
		t.Fatalf("Start() with v1 served and v2 recorded = %v, want ErrNoBundle and ErrRollback", err)
	}
	if err := os.WriteFile(filepath.Join(cache, highestFile), []byte("garbage\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	third := newHarness(t, srv, cache, pub(key))
	if err := third.f.Start(context.Background()); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), highestFile) {
		t.Fatalf("Start() with a damaged %s = %v, want ErrInvalid naming it", highestFile, err)
	}
	if got := append(second.rec.got(), third.rec.got()...); len(got) != 0 {
		t.Fatalf("updates = %v, want none", got)
	}
}

// TestFetcherAllowInsecureHTTP: plain http works only when opted into.
func TestFetcherAllowInsecureHTTP(t *testing.T) {
	key := testKey(1)
	srv := newPlainBundleServer(t)
	srv.publish(signedPair(t, key, "v1"))
	rec := &recorder{updates: make(chan string, 4)}
	f, err := NewFetcher(FetcherConfig{URL: srv.url(), AllowInsecureHTTP: true, PublicKeys: []ed25519.PublicKey{pub(key)},
		Load: rec.load, Store: policy.NewStore(nil), Clock: (&fakeClock{t: testCreated.Add(time.Hour)}).Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	if err := f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := rec.got(); !slices.Equal(got, []string{"v1"}) {
		t.Fatalf("updates = %v, want [v1]", got)
	}
}

func TestBuildRefusesBadFreshness(t *testing.T) {
	dir := writeDir(t, map[string]string{"main.cedar": policyA})
	tests := []struct {
		name   string
		mutate func(*BuildOptions)
	}{
		{"no sequence", func(o *BuildOptions) { o.Sequence = 0 }},
		{"no expiry", func(o *BuildOptions) { o.Expires = time.Time{} }},
		{"no created", func(o *BuildOptions) { o.Created = time.Time{} }},
		{"expires before created", func(o *BuildOptions) { o.Expires = o.Created.Add(-time.Hour) }},
		{"expires at created", func(o *BuildOptions) { o.Expires = o.Created }},
		{"longer than MaxValidity", func(o *BuildOptions) { o.Expires = o.Created.Add(MaxValidity + time.Hour) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testOptions("v1")
			tt.mutate(&o)
			if _, err := Build(dir, o); !errors.Is(err, ErrInvalid) {
				t.Fatalf("Build() = %v, want ErrInvalid", err)
			}
		})
	}
}
