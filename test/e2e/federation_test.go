package e2e

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/spiffe/go-spiffe/v2/bundle/spiffebundle"
	"github.com/spiffe/go-spiffe/v2/federation"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

const federationConfig = `
listen: { grpc: "{{GRPC}}", admin: "{{ADMIN}}" }
identity:
  trust_domains: [example.org, partner.org]
  bundles: [{ trust_domain: example.org, x509_pem: bundle.pem }]
  federation:
    - trust_domain: partner.org
      url: {{URL}}
      profile: https_web
      ca_file: endpoint-ca.pem
      refresh_interval: 100ms
      max_bundle_age: 1s
policy: { dir: policies, reload_interval: 100ms }
manifests: [manifest.yaml]
log: { decisions: stdout }
shutdown_timeout: 10s
`

// staticBundle serves one SPIFFE bundle for federation.NewHandler.
type staticBundle struct{ b *spiffebundle.Bundle }

func (s staticBundle) GetBundleForTrustDomain(spiffeid.TrustDomain) (*spiffebundle.Bundle, error) {
	return s.b, nil
}

// TestFederationErrorPageKeepsPartnerBundle: a partner bundle endpoint
// answering 500 with {"keys":[]} does not wipe the partner trust domain;
// once no fetch succeeded for max_bundle_age, readyz answers 503, and it
// recovers with the endpoint.
func TestFederationErrorPageKeepsPartnerBundle(t *testing.T) {
	dir := t.TempDir()
	local, partner := testca.New(t, "example.org"), testca.New(t, "partner.org")
	pb := spiffebundle.New(partner.TrustDomain())
	pb.AddX509Authority(partner.Root().Cert())
	h, err := federation.NewHandler(partner.TrustDomain(), staticBundle{pb})
	if err != nil {
		t.Fatal(err)
	}
	var broken atomic.Bool
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if broken.Load() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"keys":[]}`))
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	harness.WriteFile(t, dir, "bundle.pem", local.X509BundlePEM())
	harness.WriteFile(t, dir, "endpoint-ca.pem", testca.EncodePEM(srv.Certificate()))
	harness.CopyDir(t, "testdata/policies", filepath.Join(dir, "policies"))
	m, err := os.ReadFile("testdata/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "manifest.yaml", m)
	p := harness.Start(t, dir, strings.Replace(federationConfig, "{{URL}}", srv.URL, 1))
	p.WaitReady()

	partnerStatus := func() harness.Verdict {
		cert := harness.WithCert(partner.NewX509SVID("/ns/shop/sa/frontend").EnvoyLeaf())
		return harness.Summarise(p.Check(harness.NewCheck("GET", "/public/status", cert)))
	}
	if v := partnerStatus(); !v.Allow {
		t.Fatalf("partner identity before the error page: %+v", v)
	}
	broken.Store(true)
	testutil.Eventually(t, "readyz 503 after max_bundle_age of failed fetches", func() bool { return fedReadyz(t, p) == http.StatusServiceUnavailable })
	if v := partnerStatus(); !v.Allow {
		t.Fatalf("partner identity after the error page: %+v, want still verified (the bundle kept)", v)
	}
	if !strings.Contains(p.Metrics(), `tollgate_identity_federation_bundle_age_seconds{trust_domain="partner.org"}`) {
		t.Error("no federation_bundle_age_seconds for partner.org")
	}
	broken.Store(false)
	testutil.Eventually(t, "ready again", func() bool { return fedReadyz(t, p) == http.StatusOK })
}

func fedReadyz(t *testing.T, p *harness.Proc) int {
	resp, err := http.Get("http://" + p.AdminAddr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
