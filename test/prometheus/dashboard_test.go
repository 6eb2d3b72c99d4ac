package prometheus

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/policy/bundle"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

const bundleTollgateConfig = `
listen: { grpc: "{{GRPC}}", admin: "{{ADMIN}}" }
identity:
  trust_domains: [example.org]
  bundles: [{ trust_domain: example.org, x509_pem: bundle.pem }]
policy:
  max_exception_window: 2h
  shadow: { dir: candidate, reload_interval: 1s }
  bundle:
    url: %URL%/bundle.tar.gz
    allow_insecure_http: true # httptest serves plain http
    public_keys: [iam.pub]
    interval: 1s
    cache_dir: cache
manifests: [manifest.yaml]
signals:
  - { name: environment, from: context_extension, key: environment, type: string }
  - { name: risk_score, from: context_extension, key: risk_score, type: long }
log: { decisions: stdout }
`

// dashboardTarget is one query of examples/observability/dashboard.json.
type dashboardTarget struct{ panel, expr string }

func dashboardTargets(t *testing.T) []dashboardTarget {
	t.Helper()
	data, err := os.ReadFile("../../examples/observability/dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("dashboard.json: %v", err)
	}
	var out []dashboardTarget
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			out = append(out, dashboardTarget{p.Title, tg.Expr})
		}
	}
	if len(out) == 0 {
		t.Fatal("dashboard.json has no queries")
	}
	return out
}

// grafanaVars replaces the dashboard's variables as Grafana would with
// "All" jobs selected.
var grafanaVars = strings.NewReplacer(`$job`, `.+`, `$__rate_interval`, `1m`)

// TestDashboardQueriesReturnSeries runs a real Tollgate on a signed bundle
// holding a governed exception, scraped by a real Prometheus, and checks
// that every query of the shipped Grafana dashboard returns series.
func TestDashboardQueriesReturnSeries(t *testing.T) {
	targets := dashboardTargets(t)
	tg, ca := startBundleTollgate(t)
	prom := harness.StartPrometheus(t, tg.AdminAddr)
	frontend := harness.WithCert(ca.NewX509SVID("/ns/shop/sa/frontend").EnvoyLeaf())
	payments := harness.WithCert(ca.NewX509SVID("/ns/pay/sa/payments").EnvoyLeaf())
	send := func() {
		check(tg, "GET", "/orders/42", frontend)
		check(tg, "POST", "/orders/7/refund", payments) // forbid: refunds-only-in-prod
		check(tg, "GET", "/orders/42")                  // no identity
		check(tg, "PUT", "/orders/42", frontend)        // no_permit
	}
	for _, target := range targets {
		q := grafanaVars.Replace(target.expr)
		waitFor(t, 30*time.Second, nil, func() bool {
			send()
			return len(prom.Query(t, q)) > 0
		}, target.panel+": "+q)
	}
	assertNoLeaks(t, prom.Query(t, `{__name__=~"tollgate_.+"}`))
	// Denials carry the determining policy, bounded by the loaded @ids.
	for _, s := range prom.Query(t, `tollgate_policy_determining_total`) {
		switch p := s.Metric["policy"]; p {
		case "none", "storefront-reads-orders", "payments-manages-orders", "refunds-only-in-prod",
			"deny-high-risk", "analyst-break-glass":
		default:
			t.Errorf("policy label %q is not a loaded policy", p)
		}
	}
	if len(prom.Query(t, `tollgate_policy_determining_total{policy="refunds-only-in-prod",decision="deny"} > 0`)) != 1 {
		t.Error("the refund forbid is not counted as the determining policy")
	}
}

// startBundleTollgate runs tollgate on a signed bundle of the quickstart
// policies plus an exception that expires in an hour, with a shadow
// candidate directory.
func startBundleTollgate(t *testing.T) (*harness.Proc, *testca.CA) {
	t.Helper()
	dir := t.TempDir()
	ca := testca.New(t, "example.org")
	harness.WriteFile(t, dir, "bundle.pem", ca.X509BundlePEM())
	m, err := os.ReadFile("../../examples/quickstart/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "manifest.yaml", m)
	// The candidate freezes order 42, which the enforced policies let the
	// storefront read: every such read is a shadow disagreement.
	harness.CopyDir(t, "../../examples/quickstart/policies", filepath.Join(dir, "candidate"))
	harness.WriteFile(t, filepath.Join(dir, "candidate"), "freeze.cedar",
		[]byte(`@id("freeze-42") forbid (principal, action, resource == Order::"42");`+"\n"))
	archive, sig := signedQuickstartBundle(t, dir)
	url := serveBundle(t, archive, sig)
	p := harness.Start(t, dir, strings.ReplaceAll(bundleTollgateConfig, "%URL%", url))
	p.WaitReady()
	return p, ca
}

func signedQuickstartBundle(t *testing.T, dir string) (archive, sig []byte) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pem, err := bundle.EncodePublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "iam.pub", pem)
	src := filepath.Join(t.TempDir(), "policies")
	harness.CopyDir(t, "../../examples/quickstart/policies", src)
	expires := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	harness.WriteFile(t, src, "exception.cedar", []byte(`@id("analyst-break-glass")
@exception("INC-4711")
@approved_by("alice@iam")
@expires("`+expires+`")
permit (principal == Workload::"spiffe://example.org/ns/data/sa/analyst", action == Action::"ReadOrder", resource);
`))
	now := time.Now()
	archive, err = bundle.Build(src, bundle.BuildOptions{
		Version: "v1", Sequence: uint64(now.UnixNano()), Created: now, Expires: now.Add(bundle.DefaultValidity),
	})
	if err != nil {
		t.Fatal(err)
	}
	return archive, bundle.Sign(archive, priv)
}

func serveBundle(t *testing.T, archive, sig []byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/bundle.tar.gz":
			_, _ = w.Write(archive)
		case "/bundle.tar.gz.sig":
			_, _ = w.Write(sig)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
