package subject_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/internal/testca"
)

// toServer sends every request, whatever its host, to srv: a network path
// an attacker controls answers for jwks.attacker.test.
type toServer struct{ srv *httptest.Server }

func (r toServer) RoundTrip(req *http.Request) (*http.Response, error) {
	u, _ := url.Parse(r.srv.URL)
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host = u.Scheme, u.Host
	return http.DefaultTransport.RoundTrip(out)
}

// discovery is an OIDC discovery document whose jwks_uri is jwksURI (or,
// with redirect set, whose /jwks redirects there), and the attacker's
// JWKS at /evil.
func discovery(t *testing.T, attacker *testca.Issuer, jwksURI string, redirect bool) *httptest.Server {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		uri := jwksURI
		if redirect {
			uri = srv.URL + "/jwks"
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": srv.URL, "jwks_uri": uri})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, jwksURI, http.StatusFound) })
	mux.HandleFunc("/evil", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(attacker.JWKS()) })
	return srv
}

// TestJWKSOverPlainHTTPRefused: keys read over plain http from a host that
// is not loopback can be replaced by anyone on the path, who then signs
// any token. A jwks_uri of http:// (or a redirect to one) is refused, for
// Txn-Tokens and subject tokens alike; the issuer itself is loopback here.
func TestJWKSOverPlainHTTPRefused(t *testing.T) {
	attacker := testca.NewIssuer(t)
	for _, redirect := range []bool{false, true} {
		srv := discovery(t, attacker, "http://jwks.attacker.test/evil", redirect)
		client := &http.Client{Transport: toServer{srv}}
		_, err := subject.NewTxn(context.Background(), subject.TxnConfig{Issuer: srv.URL, Audience: td, HTTPClient: client})
		if err == nil {
			t.Errorf("redirect=%v: NewTxn read its keys over plain http from a non-loopback host", redirect)
		}
		_, err = subject.New(context.Background(), subject.Config{HTTPClient: client,
			Issuers: []subject.Issuer{{URL: srv.URL, Audiences: []string{"api"}}}})
		if err == nil {
			t.Errorf("redirect=%v: New read its keys over plain http from a non-loopback host", redirect)
		}
	}
	// Loopback http (tests, a sidecar) stays allowed.
	srv := discovery(t, attacker, "", false)
	lo := discovery(t, attacker, srv.URL+"/evil", false)
	if _, err := subject.NewTxn(context.Background(), subject.TxnConfig{Issuer: lo.URL, Audience: td}); err != nil {
		t.Fatalf("loopback jwks_uri refused: %v", err)
	}
}
