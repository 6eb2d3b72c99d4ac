package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

const uiConfig = `
listen: { grpc: "{{GRPC}}", admin: "{{ADMIN}}" }
identity:
  trust_domains: [example.org]
  bundles:
    - trust_domain: example.org
      x509_pem: bundle.pem
policy: { dir: policies, reload_interval: 100ms }
manifests: [manifest.yaml]
log: { decisions: stdout }
admin: { ui: %s }
`

// xss is what a caller puts in a resource id to attack the page.
const xss = `<img src=x onerror=alert(1)>`

// exceptionPolicy is a governed exception expiring in about two days.
func exceptionPolicy(expires time.Time) string {
	return fmt.Sprintf(`@id("hotfix-read")
@exception("SEC-42")
@approved_by("ciso")
@expires(%q)
permit (principal == Workload::"spiffe://example.org/ns/misc/sa/hotfix", action == Action::"ReadOrder", resource);
`, expires.UTC().Format(time.RFC3339))
}

type uiEnv struct {
	*harness.Proc
	ca *testca.CA
}

func startUI(t *testing.T, on bool) *uiEnv {
	t.Helper()
	dir := t.TempDir()
	ca := testca.New(t, "example.org")
	harness.WriteFile(t, dir, "bundle.pem", ca.X509BundlePEM())
	harness.CopyDir(t, "testdata/policies", filepath.Join(dir, "policies"))
	harness.WriteFile(t, dir, "policies/exception.cedar", []byte(exceptionPolicy(time.Now().Add(49*time.Hour))))
	b, err := os.ReadFile("testdata/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "manifest.yaml", b)
	p := harness.Start(t, dir, fmt.Sprintf(uiConfig, map[bool]string{true: "true", false: "false"}[on]))
	p.WaitReady()
	return &uiEnv{Proc: p, ca: ca}
}

// noIdentity sends no credentials.
func noIdentity(*authv3.CheckRequest) {}

func (e *uiEnv) as(path string) harness.ReqOpt {
	return harness.WithCert(e.ca.NewX509SVID(path).EnvoyLeaf())
}

// checks sends allowed and denied Checks and returns how many were denied.
func (e *uiEnv) checks(t *testing.T) (total, denied int) {
	t.Helper()
	for _, c := range []struct {
		req   harness.ReqOpt
		m, p  string
		allow bool
	}{
		{e.as("/ns/shop/sa/frontend"), "GET", "/orders/42", true},
		{e.as("/ns/shop/sa/frontend"), "GET", "/orders/43", true},
		{e.as("/ns/ops/sa/admin"), "DELETE", "/orders/7", true},
		{e.as("/ns/misc/sa/hotfix"), "GET", "/orders/9", true},
		{e.as("/ns/ops/sa/admin"), "DELETE", "/orders/1", false},                       // forbid no-delete-order-1
		{e.as("/ns/misc/sa/stranger"), "GET", "/orders/42", false},                     // no permit
		{noIdentity, "GET", "/orders/42", false},                                       // no identity
		{e.as("/ns/misc/sa/stranger"), "GET", "/orders/" + url.PathEscape(xss), false}, // hostile resource id
	} {
		v := harness.Summarise(e.Check(harness.NewCheck(c.m, c.p, c.req)))
		if v.Allow != c.allow {
			t.Fatalf("%s %s: allow = %v (%s), want %v", c.m, c.p, v.Allow, v.Code, c.allow)
		}
		total++
		if !c.allow {
			denied++
		}
	}
	return total, denied
}

// TestAdminUIOffIs404: with admin.ui false (the default) the page does
// not exist.
func TestAdminUIOffIs404(t *testing.T) {
	e := startUI(t, false)
	for _, p := range []string{"/ui/", "/ui/app.js", "/ui/api/decisions"} {
		resp, err := http.Get("http://" + e.AdminAddr + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, resp.StatusCode)
		}
	}
}
