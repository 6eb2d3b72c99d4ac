package identity

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/federation"

	"github.com/tollgate-authz/tollgate/internal/testca"
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
			if b.contentType != "" {
				w.Header().Set("Content-Type", b.contentType)
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
			eventually(t, "failed fetches to be counted", func() bool {
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
