package identity

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spiffe/go-spiffe/v2/bundle/spiffebundle"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/federation"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/internal/testutil"
)

var partnerTD = spiffeid.RequireTrustDomainFromString("partner.org")

// bundleServer is a real SPIFFE bundle endpoint serving a swappable bundle.
type bundleServer struct {
	cur atomic.Pointer[spiffebundle.Bundle]
	srv *httptest.Server
}

func (s *bundleServer) GetBundleForTrustDomain(spiffeid.TrustDomain) (*spiffebundle.Bundle, error) {
	return s.cur.Load(), nil
}

func (s *bundleServer) publish(t *testing.T, ca *testca.CA) {
	t.Helper()
	b := spiffebundle.New(ca.TrustDomain())
	b.AddX509Authority(ca.Root().Cert())
	for _, kid := range []string{ca.JWTKeyID()} {
		key, _ := ca.JWTBundle().FindJWTAuthority(kid)
		if err := b.AddJWTAuthority(kid, key); err != nil {
			t.Fatal(err)
		}
	}
	s.cur.Store(b)
}

// newBundleServer starts an https_web endpoint, or an https_spiffe one
// when svid is set.
func newBundleServer(t *testing.T, ca *testca.CA, svid *testca.X509SVID) *bundleServer {
	s := &bundleServer{}
	s.publish(t, ca)
	h, err := federation.NewHandler(ca.TrustDomain(), s)
	if err != nil {
		t.Fatal(err)
	}
	if svid == nil {
		s.srv = httptest.NewTLSServer(h)
	} else {
		s.srv = httptest.NewUnstartedServer(h)
		// httptest would add its own certificate when Certificates is empty
		// (a client dialling an IP sends no SNI, so GetCertificate is not used).
		s.srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{svid.Leaf.Raw}, PrivateKey: svid.Key}}}
		s.srv.StartTLS()
	}
	t.Cleanup(s.srv.Close)
	return s
}

func (s *bundleServer) roots() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(s.srv.Certificate())
	return p
}

// fedVerifier trusts example.org (local) and partner.org (federated).
func fedVerifier(t *testing.T, local *testca.CA, f *Federation) *Verifier {
	t.Helper()
	src := Chain{f, bundleSetSource{x509bundle.NewSet(local.X509Bundle())}}
	v, err := NewVerifier(Config{X509Bundles: src, JWTBundles: src, JWTAudiences: testAud,
		TrustDomains: []spiffeid.TrustDomain{local.TrustDomain(), partnerTD}})
	if err != nil {
		t.Fatal(err)
	}
	f.OnChange(v.InvalidateCache)
	return v
}

func TestFederationHTTPSWebRefresh(t *testing.T) {
	local, partner, partner2 := testca.New(t, "example.org"), testca.New(t, "partner.org"), testca.New(t, "partner.org")
	srv := newBundleServer(t, partner, nil)
	f, err := NewFederation(FederationConfig{Endpoints: []FederationEndpoint{{
		TrustDomain: partnerTD, URL: srv.srv.URL, Profile: ProfileHTTPSWeb, Roots: srv.roots(), RefreshInterval: 20 * time.Millisecond,
	}}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v := fedVerifier(t, local, f)
	oldCert := Credentials{PeerCertificate: partner.NewX509SVID("/api").EnvoyLeaf()}
	ctx := context.Background()
	for _, c := range []Credentials{
		oldCert,
		{Authorization: "Bearer " + partner.NewJWTSVID("/api", testAud)},
		{PeerCertificate: local.NewX509SVID("/svc").EnvoyLeaf()},
	} {
		if _, err := v.Verify(ctx, c); err != nil {
			t.Fatalf("before refresh: %v", err)
		}
	}
	srv.publish(t, partner2)
	testutil.Eventually(t, "refreshed bundle", func() bool {
		_, err := v.Verify(ctx, Credentials{PeerCertificate: partner2.NewX509SVID("/api").EnvoyLeaf()})
		return err == nil
	})
	_, err = v.Verify(ctx, oldCert)
	want{reason: ReasonBadSignature}.check(t, Identity{}, err)
}

func TestFederationHTTPSSPIFFE(t *testing.T) {
	local, partner := testca.New(t, "example.org"), testca.New(t, "partner.org")
	endpoint := partner.NewX509SVID("/bundle-endpoint")
	srv := newBundleServer(t, partner, endpoint)
	bootstrap := x509bundle.NewSet(partner.X509Bundle())
	tests := []struct {
		name       string
		endpointID string
		bootstrap  x509bundle.Source
		want       want
	}{
		{"authenticated endpoint", "spiffe://partner.org/bundle-endpoint", bootstrap, want{id: "spiffe://partner.org/api", source: SourceX509}},
		{"wrong endpoint ID", "spiffe://partner.org/other", bootstrap, want{reason: ReasonUntrustedDomain, is: ErrNoBundle}},
		{"no bootstrap bundle", "spiffe://partner.org/bundle-endpoint", x509bundle.NewSet(), want{reason: ReasonUntrustedDomain, is: ErrNoBundle}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := NewFederation(FederationConfig{Bootstrap: tc.bootstrap, Endpoints: []FederationEndpoint{{
				TrustDomain: partnerTD, URL: srv.srv.URL, Profile: ProfileHTTPSSPIFFE, EndpointID: spiffeid.RequireFromString(tc.endpointID),
			}}})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			v := fedVerifier(t, local, f)
			id, err := v.Verify(context.Background(), Credentials{PeerCertificate: partner.NewX509SVID("/api").EnvoyLeaf()})
			tc.want.check(t, id, err)
		})
	}
}

func TestFederationUntrustedServer(t *testing.T) {
	local, partner := testca.New(t, "example.org"), testca.New(t, "partner.org")
	srv := newBundleServer(t, partner, nil)
	f, err := NewFederation(FederationConfig{StartTimeout: 5 * time.Second, Endpoints: []FederationEndpoint{{
		TrustDomain: partnerTD, URL: srv.srv.URL, Profile: ProfileHTTPSWeb, Roots: x509.NewCertPool(),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = fedVerifier(t, local, f).Verify(context.Background(), Credentials{PeerCertificate: partner.NewX509SVID("/api").EnvoyLeaf()})
	if !errors.Is(err, ErrNoBundle) {
		t.Fatalf("err = %v, want ErrNoBundle (TLS to the endpoint must fail)", err)
	}
}

func TestFederationConfigValidate(t *testing.T) {
	ep := FederationEndpoint{TrustDomain: partnerTD, URL: "https://x", Profile: ProfileHTTPSWeb}
	tests := []struct {
		name string
		eps  []FederationEndpoint
	}{
		{"none", nil},
		{"twice", []FederationEndpoint{ep, ep}},
		{"bad profile", []FederationEndpoint{{TrustDomain: partnerTD, Profile: "http"}}},
		{"spiffe without ID", []FederationEndpoint{{TrustDomain: partnerTD, Profile: ProfileHTTPSSPIFFE}}},
		{"no trust domain", []FederationEndpoint{{Profile: ProfileHTTPSWeb}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewFederation(FederationConfig{Endpoints: tc.eps}); !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("err = %v, want ErrInvalidConfig", err)
			}
		})
	}
}
