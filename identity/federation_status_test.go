package identity

import (
	"context"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/federation"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/internal/testutil"
)

// badAnswer, when set, replaces the bundle endpoint's answer.
type badAnswer struct {
	status      int
	contentType string
	body        string
}

// faultyEndpoint is a real https_web bundle endpoint whose answer a test
// can replace with a bad one.
type faultyEndpoint struct {
	*bundleServer
	bad atomic.Pointer[badAnswer]
}

func newFaultyEndpoint(t *testing.T, ca *testca.CA) *faultyEndpoint {
	e := &faultyEndpoint{bundleServer: &bundleServer{}}
	e.publish(t, ca)
	h, err := federation.NewHandler(ca.TrustDomain(), e.bundleServer)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b := e.bad.Load(); b != nil {
			w.Header()["Content-Type"] = []string{b.contentType} // "" is sent as an empty header, not sniffed
			if b.status == http.StatusFound {
				w.Header().Set("Location", "/elsewhere")
			}
			w.WriteHeader(b.status)
			_, _ = w.Write([]byte(b.body))
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

// TestFederationBadAnswersKeepTheBundle: an error status, an empty key set
// or a body that is not a bundle is a failed fetch. It never replaces the
// partner's bundle, and it is counted as an error.
func TestFederationBadAnswersKeepTheBundle(t *testing.T) {
	emptyKeys := `{"keys":[]}`
	tests := []struct {
		name string
		bad  badAnswer
	}{
		{"500 with an empty key set", badAnswer{http.StatusInternalServerError, "application/json", emptyKeys}},
		{"503 with an empty key set", badAnswer{http.StatusServiceUnavailable, "application/json", emptyKeys}},
		{"200 with an empty key set", badAnswer{http.StatusOK, "application/json", emptyKeys}},
		{"200 with an HTML content type", badAnswer{http.StatusOK, "text/html", emptyKeys}},
		{"200 with no content type", badAnswer{http.StatusOK, "", emptyKeys}},
		{"redirect", badAnswer{http.StatusFound, "application/json", emptyKeys}},
		{"oversize body", badAnswer{http.StatusOK, "application/json", `{"keys":[` + strings.Repeat(" ", MaxFederationBundleBytes) + `]}`}},
		{"not JSON", badAnswer{http.StatusOK, "application/json", "<html>maintenance</html>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			local, partner := testca.New(t, "example.org"), testca.New(t, "partner.org")
			srv := newFaultyEndpoint(t, partner)
			reg := prometheus.NewRegistry()
			f, err := NewFederation(FederationConfig{Registerer: reg, Endpoints: []FederationEndpoint{{
				TrustDomain: partnerTD, URL: srv.srv.URL, Profile: ProfileHTTPSWeb, Roots: srv.roots(),
				RefreshInterval: 10 * time.Millisecond,
			}}})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			v := fedVerifier(t, local, f)
			partnerCert := Credentials{PeerCertificate: partner.NewX509SVID("/api").EnvoyLeaf()}
			if _, err := v.Verify(context.Background(), partnerCert); err != nil {
				t.Fatalf("before the bad answer: %v", err)
			}
			e := &env{reg: reg}
			labels := func(result string) map[string]string {
				return map[string]string{"trust_domain": "partner.org", "result": result}
			}
			updated := e.counter(t, "tollgate_identity_federation_refresh_total", labels("updated"))
			srv.bad.Store(&tc.bad)
			testutil.Eventually(t, "failed fetches to be counted", func() bool {
				return e.counter(t, "tollgate_identity_federation_refresh_total", labels("error")) >= 2
			})
			if got := e.counter(t, "tollgate_identity_federation_refresh_total", labels("updated")); got != updated {
				t.Errorf("refresh_total{updated} = %v, want %v: the bad answer was taken as an update", got, updated)
			}
			if _, err := v.Verify(context.Background(), partnerCert); err != nil {
				t.Fatalf("after the bad answer, the partner's identity is refused: %v", err)
			}
		})
	}
}

// TestFederationFetchTimeout: an endpoint that never answers is a failed
// fetch after FetchTimeout, not a watcher stuck forever.
func TestFederationFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	roots := (&bundleServer{srv: srv}).roots()
	reg := prometheus.NewRegistry()
	start := time.Now()
	f, err := NewFederation(FederationConfig{Registerer: reg, FetchTimeout: 100 * time.Millisecond, StartTimeout: 20 * time.Second,
		Endpoints: []FederationEndpoint{{TrustDomain: partnerTD, URL: srv.URL, Profile: ProfileHTTPSWeb, Roots: roots}}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if waited := time.Since(start); waited > 10*time.Second {
		t.Fatalf("NewFederation waited %s for a hanging endpoint", waited)
	}
	e := &env{reg: reg}
	if got := e.counter(t, "tollgate_identity_federation_refresh_total", map[string]string{"trust_domain": "partner.org", "result": "error"}); got < 1 {
		t.Fatalf("refresh_total{error} = %v, want the timeout counted", got)
	}
}

// TestFederationBundleAgeAndReadiness: the age of each federated bundle is
// a metric, and with MaxBundleAge it gates readiness: before the first
// fetch, and once fetches fail for longer than MaxBundleAge.
func TestFederationBundleAgeAndReadiness(t *testing.T) {
	partner := testca.New(t, "partner.org")
	srv := newFaultyEndpoint(t, partner)
	clock := newFakeClock()
	reg := prometheus.NewRegistry()
	f, err := NewFederation(FederationConfig{Registerer: reg, Clock: clock.Now, Endpoints: []FederationEndpoint{{
		TrustDomain: partnerTD, URL: srv.srv.URL, Profile: ProfileHTTPSWeb, Roots: srv.roots(),
		RefreshInterval: 10 * time.Millisecond, MaxBundleAge: time.Minute,
	}}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// NewFederation returns after the first fetch, good or failed: on a
	// loaded machine the first one can fail, and the 10 ms refresh retries.
	testutil.Eventually(t, "ready after a good fetch", func() bool { return f.Ready() == nil })
	e := &env{reg: reg}
	srv.bad.Store(&badAnswer{http.StatusInternalServerError, "application/json", `{"keys":[]}`})
	testutil.Eventually(t, "a failed fetch", func() bool {
		return e.counter(t, "tollgate_identity_federation_refresh_total", map[string]string{"trust_domain": "partner.org", "result": "error"}) >= 1
	})
	clock.Advance(2 * time.Minute)
	if err := f.Ready(); !errors.Is(err, ErrNotReady) || !strings.Contains(err.Error(), "partner.org") {
		t.Fatalf("Ready() after two minutes of failed fetches = %v, want ErrNotReady naming partner.org", err)
	}
	if age := testutil.MustValue(t, reg, "tollgate_identity_federation_bundle_age_seconds", nil); age < 120 {
		t.Errorf("federation_bundle_age_seconds = %v, want >= 120", age)
	}
	srv.bad.Store(nil)
	testutil.Eventually(t, "ready again", func() bool { return f.Ready() == nil })

	never, err := NewFederation(FederationConfig{StartTimeout: time.Second, Endpoints: []FederationEndpoint{{
		TrustDomain: partnerTD, URL: srv.srv.URL, Profile: ProfileHTTPSWeb, Roots: x509.NewCertPool(), MaxBundleAge: time.Minute,
	}}})
	if err != nil {
		t.Fatal(err)
	}
	defer never.Close()
	if err := never.Ready(); !errors.Is(err, ErrNotReady) {
		t.Fatalf("Ready() before any successful fetch = %v, want ErrNotReady", err)
	}
}
