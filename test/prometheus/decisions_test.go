package prometheus

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

const tollgateConfig = `
listen: { grpc: "{{GRPC}}", admin: "{{ADMIN}}" }
identity:
  trust_domains: [example.org]
  bundles: [{ trust_domain: example.org, x509_pem: bundle.pem }]
policy: { dir: policies, reload_interval: 1s }
manifests: [manifest.yaml]
signals:
  - { name: environment, from: context_extension, key: environment, type: string }
  - { name: risk_score, from: context_extension, key: risk_score, type: long } # the quickstart's deny-high-risk reads it
log: { decisions: stdout }
`

// secretHeader is a header value that must never reach a label.
const secretHeader = "hv-7f3a9c-do-not-label"

// startTollgate runs tollgate with the quickstart policies and manifest
// and a test CA's bundle.
func startTollgate(t *testing.T) (*harness.Proc, *testca.CA) {
	t.Helper()
	dir := t.TempDir()
	ca := testca.New(t, "example.org")
	harness.WriteFile(t, dir, "bundle.pem", ca.X509BundlePEM())
	harness.CopyDir(t, "../../examples/quickstart/policies", filepath.Join(dir, "policies"))
	m, err := os.ReadFile("../../examples/quickstart/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "manifest.yaml", m)
	p := harness.Start(t, dir, tollgateConfig)
	p.WaitReady()
	return p, ca
}

type decisionKey struct{ decision, action, code, trustDomain string }

func TestPrometheusScrapesDecisions(t *testing.T) {
	tg, ca := startTollgate(t)
	prom := harness.StartPrometheus(t, tg.AdminAddr)
	frontend := harness.WithCert(ca.NewX509SVID("/ns/shop/sa/frontend").EnvoyLeaf())
	payments := harness.WithCert(ca.NewX509SVID("/ns/pay/sa/payments").EnvoyLeaf())
	hdr := harness.WithHeader("x-custom", secretHeader)
	sends := []struct {
		n     int
		req   func() harness.Verdict
		allow bool
	}{
		{3, func() harness.Verdict { return check(tg, "GET", "/orders/42", frontend, hdr) }, true},
		{2, func() harness.Verdict { return check(tg, "POST", "/orders/7/refund", payments, hdr) }, false},
		{1, func() harness.Verdict { return check(tg, "GET", "/orders/42", hdr) }, false},
		{1, func() harness.Verdict { return check(tg, "GET", "/secret/admin", frontend, hdr) }, false},
	}
	for _, s := range sends {
		for range s.n {
			if v := s.req(); v.Allow != s.allow {
				t.Fatalf("allow = %v, want %v (%+v)", v.Allow, s.allow, v)
			}
		}
	}
	want := map[decisionKey]string{
		{"allow", "ReadOrder", "permit", "example.org"}:         "3",
		{"forbidden", "RefundOrder", "forbid", "example.org"}:   "2",
		{"unauthenticated", "none", "identity_missing", "none"}: "1",
		{"forbidden", "none", "no_route", "example.org"}:        "1",
	}
	var got map[decisionKey]string
	waitFor(t, 20*time.Second, nil, func() bool {
		got = decisions(t, prom, tg.AdminAddr)
		return maps.Equal(got, want)
	}, "tollgate_decisions_total in Prometheus")
	assertNoLeaks(t, prom.Query(t, `{__name__=~"tollgate_.+"}`))
}

func check(p *harness.Proc, method, path string, opts ...harness.ReqOpt) harness.Verdict {
	return harness.Summarise(p.Check(harness.NewCheck(method, path, opts...)))
}

// decisions reads tollgate_decisions_total from Prometheus; every series
// must carry the scrape's job and instance.
func decisions(t *testing.T, prom *harness.Prometheus, instance string) map[decisionKey]string {
	t.Helper()
	out := map[decisionKey]string{}
	for _, s := range prom.Query(t, "tollgate_decisions_total") {
		m := s.Metric
		if m["job"] != "tollgate" || m["instance"] != instance {
			t.Fatalf("series %v: want job=tollgate instance=%s", m, instance)
		}
		out[decisionKey{m["decision"], m["action"], m["code"], m["trust_domain"]}] = s.Val()
	}
	return out
}

// assertNoLeaks fails when a label value of any Tollgate series holds a
// SPIFFE ID, a request path or a header value.
func assertNoLeaks(t *testing.T, all []harness.Series) {
	t.Helper()
	if len(all) == 0 {
		t.Fatal("no tollgate_* series in Prometheus")
	}
	forbidden := []string{"spiffe://", "/orders", "/secret", "ns/shop", "frontend", "payments", secretHeader, "orders.internal"}
	for _, s := range all {
		for name, v := range s.Metric {
			if strings.HasPrefix(v, "/") {
				t.Errorf("%s{%s=%q}: label value is a path", s.Metric["__name__"], name, v)
			}
			for _, f := range forbidden {
				if strings.Contains(v, f) {
					t.Errorf("%s{%s=%q}: label value contains %q", s.Metric["__name__"], name, v, f)
				}
			}
		}
	}
}
