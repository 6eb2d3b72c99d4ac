package bundle

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

func TestFetcherETagCycle(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v1"))
	h := newHarness(t, srv, t.TempDir(), pub(key))
	ctx := context.Background()
	if err := h.f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := h.f.CheckNow(ctx); err != nil {
		t.Fatal(err)
	}
	if got := h.rec.got(); !slices.Equal(got, []string{"v1"}) {
		t.Fatalf("after 200 then 304, updates = %v, want [v1]", got)
	}
	srv.publish(signedPair(t, key, "v2"))
	if err := h.f.CheckNow(ctx); err != nil {
		t.Fatal(err)
	}
	if got := h.rec.got(); !slices.Equal(got, []string{"v1", "v2"}) {
		t.Fatalf("updates = %v, want [v1 v2]", got)
	}
	for result, want := range map[string]float64{resultOK: 2, resultNotModified: 1, resultNetwork: 0, resultStatus: 0} {
		if got := testutil.MustValue(t, h.reg, "tollgate_bundle_fetch_total", map[string]string{"result": result}); got != want {
			t.Errorf("fetch_total{result=%q} = %v, want %v", result, got, want)
		}
	}
}

func signedPair(t *testing.T, key ed25519.PrivateKey, version string) ([]byte, []byte) {
	return signed(t, key, version, map[string]string{"main.cedar": policyA})
}

func TestFetcherRejectsBadBundlesAndKeepsCurrent(t *testing.T) {
	key, wrong := testKey(1), testKey(2)
	good, _ := signedPair(t, key, "v2")
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x01
	mismatch := rawArchive(t, manifestEntry(t, map[string][]byte{"main.cedar": []byte(policyA)}),
		rawEntry{name: "main.cedar", data: []byte("permit (principal, action, resource);")})
	traversal := rawArchive(t, manifestEntry(t, map[string][]byte{"main.cedar": []byte(policyA)}),
		rawEntry{name: "../../etc/evil.cedar", data: []byte(policyA)})
	bomb := rawArchive(t, manifestEntry(t, map[string][]byte{"bomb.cedar": make([]byte, DefaultMaxTotalBytes+1)}),
		rawEntry{name: "bomb.cedar", size: DefaultMaxTotalBytes + 1})
	rejected, rejectedSig := signed(t, key, "v3", map[string]string{"main.cedar": policyA, "reject.cedar": policyA})
	tests := []struct {
		name      string
		archive   []byte
		sig       []byte
		sigStatus int
		want      error
		result    string
	}{
		{"tampered archive", flipped, Sign(good, key), 0, ErrBadSignature, resultSignature},
		{"signed by the wrong key", good, Sign(good, wrong), 0, ErrBadSignature, resultSignature},
		{"unsigned", good, nil, http.StatusNotFound, ErrUnsigned, resultSignature},
		{"manifest digest mismatch", mismatch, Sign(mismatch, key), 0, ErrTampered, resultContent},
		{"path traversal", traversal, Sign(traversal, key), 0, ErrUnsafePath, resultContent},
		{"zip bomb", bomb, Sign(bomb, key), 0, ErrTooLarge, resultContent},
		{"rejected by Validate", rejected, rejectedSig, 0, nil, resultContent},
		{"signature server error", good, nil, http.StatusInternalServerError, nil, resultStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newBundleServer(t)
			srv.publish(signedPair(t, key, "v1"))
			cache := t.TempDir()
			h := newHarness(t, srv, cache, pub(key))
			if err := h.f.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			lkg, _ := os.ReadFile(filepath.Join(cache, currentFile))
			srv.publishStatus(tt.archive, tt.sig, tt.sigStatus)
			err := h.f.CheckNow(context.Background())
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("CheckNow() = %v, want %v", err, tt.want)
			}
			assertNoSecret(t, err)
			if logs := h.logs.String(); strings.Contains(logs, "s3cret") || !strings.Contains(logs, "keeping the current version") {
				t.Errorf("logs leak the query or miss the failure:\n%s", logs)
			}
			if got := h.rec.got(); !slices.Equal(got, []string{"v1"}) {
				t.Errorf("updates = %v, want only [v1]", got)
			}
			if got := testutil.MustValue(t, h.reg, "tollgate_bundle_fetch_total", map[string]string{"result": tt.result}); got != 1 {
				t.Errorf("fetch_total{result=%q} = %v, want 1", tt.result, got)
			}
			if now, _ := os.ReadFile(filepath.Join(cache, currentFile)); !bytes.Equal(now, lkg) {
				t.Error("last-known-good was replaced by a rejected bundle")
			}
		})
	}
}

func TestFetcherStartFallsBackToLastKnownGood(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v1"))
	cache := t.TempDir()
	first := newHarness(t, srv, cache, pub(key))
	if err := first.f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	_ = first.f.Close()
	srv.Close()

	second := newHarness(t, srv, cache, pub(key))
	second.clock.Advance(30 * time.Second)
	if err := second.f.Start(context.Background()); err != nil {
		t.Fatalf("Start with the server down and a last-known-good = %v", err)
	}
	if got := second.rec.got(); !slices.Equal(got, []string{"v1"}) {
		t.Fatalf("updates = %v, want [v1] from the cache", got)
	}
	if !second.f.LastSuccess().Equal(first.clock.Now()) {
		t.Errorf("LastSuccess = %v, want the first fetcher's check %v", second.f.LastSuccess(), first.clock.Now())
	}
	if second.f.Stale() {
		t.Error("Stale() = true within the window")
	}
	if got := testutil.MustValue(t, second.reg, "tollgate_bundle_fetch_total", map[string]string{"result": resultNetwork}); got != 1 {
		t.Errorf("fetch_total{error_network} = %v, want 1", got)
	}

	third := newHarness(t, srv, cache, pub(testKey(9)))
	if err := third.f.Start(context.Background()); !errors.Is(err, ErrNoBundle) || !errors.Is(err, ErrBadSignature) {
		t.Fatalf("cache signed by an untrusted key: Start() = %v, want ErrNoBundle and ErrBadSignature", err)
	}
}

func TestFetcherStartRejectsTamperedCache(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v1"))
	cache := t.TempDir()
	first := newHarness(t, srv, cache, pub(key))
	if err := first.f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	matches, _ := filepath.Glob(filepath.Join(cache, archivePrefix+"*"+archiveSuffix))
	if len(matches) != 1 {
		t.Fatalf("cache holds %v, want one archive", matches)
	}
	data, _ := os.ReadFile(matches[0])
	data[len(data)/2] ^= 1
	if err := os.WriteFile(matches[0], data, 0o600); err != nil {
		t.Fatal(err)
	}
	second := newHarness(t, srv, cache, pub(key))
	if err := second.f.Start(context.Background()); !errors.Is(err, ErrNoBundle) || !errors.Is(err, ErrTampered) {
		t.Fatalf("Start() = %v, want ErrNoBundle and ErrTampered", err)
	}
	if got := second.rec.got(); len(got) != 0 {
		t.Fatalf("updates = %v, want none", got)
	}
}

func TestFetcherStartWithNothing(t *testing.T) {
	srv := newBundleServer(t)
	srv.Close()
	for name, cache := range map[string]string{"empty cache": t.TempDir(), "no cache dir": ""} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, srv, cache, pub(testKey(1)))
			err := h.f.Start(context.Background())
			if !errors.Is(err, ErrNoBundle) {
				t.Fatalf("Start() = %v, want ErrNoBundle", err)
			}
			for _, part := range []string{"server", "last-known-good", "/bundles/bundle.tar.gz"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not mention %q", err, part)
				}
			}
			assertNoSecret(t, err)
		})
	}
}

func TestFetcherStaleness(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v1"))
	h := newHarness(t, srv, "", pub(key))
	if !h.f.Stale() {
		t.Error("Stale() = false before any check")
	}
	if err := h.f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		advance time.Duration
		check   bool
		down    bool
		stale   bool
	}{
		{"just fetched", 0, false, false, false},
		{"inside the window", 59 * time.Second, false, false, false},
		{"window passed", 2 * time.Second, false, false, true},
		{"304 refreshes", 0, true, false, false},
		{"failed check does not refresh", 2 * time.Minute, true, true, true},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			h.clock.Advance(s.advance)
			if s.down {
				srv.setDown(true)
			}
			if s.check {
				err := h.f.CheckNow(context.Background())
				if (err != nil) != s.down {
					t.Fatalf("CheckNow() = %v", err)
				}
			}
			if got := h.f.Stale(); got != s.stale {
				t.Fatalf("Stale() = %v, want %v", got, s.stale)
			}
			want := map[bool]float64{true: 1, false: 0}[s.stale]
			if got := testutil.MustValue(t, h.reg, "tollgate_bundle_stale", nil); got != want {
				t.Errorf("tollgate_bundle_stale = %v, want %v", got, want)
			}
		})
	}
	if got := testutil.MustValue(t, h.reg, "tollgate_bundle_last_success_timestamp_seconds", nil); got != float64(h.f.LastSuccess().Unix()) {
		t.Errorf("last_success gauge = %v, want %v", got, h.f.LastSuccess().Unix())
	}
}

func TestFetcherPolls(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v1"))
	rec := &recorder{updates: make(chan string, 16)}
	f, err := NewFetcher(FetcherConfig{URL: srv.url(), Client: srv.Client(), PublicKeys: []ed25519.PublicKey{pub(key)},
		Interval: 5 * time.Millisecond, Validate: rejectMarked, OnUpdate: rec.onUpdate,
		Clock: (&fakeClock{t: testCreated.Add(2 * time.Hour)}).Now})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-rec.updates
	srv.publish(signedPair(t, key, "v2"))
	select {
	case v := <-rec.updates:
		if v != "v2" {
			t.Fatalf("polled update = %s, want v2", v)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the poll loop never delivered v2")
	}
}

func TestFetcherLifecycle(t *testing.T) {
	key := testKey(1)
	srv := newBundleServer(t)
	srv.publish(signedPair(t, key, "v1"))
	h := newHarness(t, srv, "", pub(key))
	if err := h.f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := h.f.Start(context.Background()); err == nil {
		t.Error("second Start succeeded")
	}
	for i := 0; i < 2; i++ {
		if err := h.f.Close(); err != nil {
			t.Fatalf("Close #%d = %v", i+1, err)
		}
	}
	if err := h.f.CheckNow(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("CheckNow after Close = %v, want ErrClosed", err)
	}
}

func TestNewFetcherConfigErrors(t *testing.T) {
	ok := func() FetcherConfig {
		return FetcherConfig{URL: "https://user:s3cret@bundles.example/b.tar.gz?token=s3cret",
			PublicKeys: []ed25519.PublicKey{pub(testKey(1))},
			Validate:   rejectMarked, OnUpdate: (&recorder{}).onUpdate}
	}
	tests := []struct {
		name   string
		mutate func(*FetcherConfig)
	}{
		{"no keys", func(c *FetcherConfig) { c.PublicKeys = nil }},
		{"short key", func(c *FetcherConfig) { c.PublicKeys = []ed25519.PublicKey{{1}} }},
		{"file URL", func(c *FetcherConfig) { c.URL = "file:///etc/s3cret" }},
		{"plain http URL", func(c *FetcherConfig) { c.URL = "http://user:s3cret@bundles.example/b.tar.gz?token=s3cret" }},
		{"relative URL", func(c *FetcherConfig) { c.URL = "/b.tar.gz?token=s3cret" }},
		{"bad signature URL", func(c *FetcherConfig) { c.SignatureURL = "ftp://x/s3cret" }},
		{"no Validate", func(c *FetcherConfig) { c.Validate = nil }},
		{"no OnUpdate", func(c *FetcherConfig) { c.OnUpdate = nil }},
		{"negative interval", func(c *FetcherConfig) { c.Interval = -time.Second }},
		{"URL and Source", func(c *FetcherConfig) { c.Source = &httpSource{} }},
		{"no URL nor Source", func(c *FetcherConfig) { c.URL = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok()
			tt.mutate(&cfg)
			_, err := NewFetcher(cfg)
			if err == nil {
				t.Fatal("NewFetcher accepted the config")
			}
			assertNoSecret(t, err)
		})
	}
	if _, err := NewFetcher(ok()); err != nil {
		t.Fatalf("valid config: %v", err)
	}
}

func TestRedactAndSignatureURL(t *testing.T) {
	s, err := FetcherConfig{URL: "https://u:p@h.example/a/b.tar.gz?token=x#frag"}.settings()
	if err == nil || s != nil {
		t.Fatal("settings without keys must fail")
	}
	u, _ := parseHTTPURL("URL", "https://u:p@h.example/a/b.tar.gz?token=x#frag", false)
	if got := redact(u); got != "https://h.example/a/b.tar.gz" {
		t.Errorf("redact = %q", got)
	}
	if got := signatureURL(u); got.Path != "/a/b.tar.gz.sig" || got.RawQuery != "token=x" {
		t.Errorf("signatureURL = %v", got)
	}
}
