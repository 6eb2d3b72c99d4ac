package server

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/adminui"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/internal/testca"
)

func adminMux(t *testing.T, ui *adminui.Handler) *adminServer {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lis.Close() })
	var h http.Handler // a nil *adminui.Handler must stay a nil interface
	if ui != nil {
		h = ui
	}
	return newAdmin(lis, prometheus.NewRegistry(), func() error { return nil }, config.Limits{}, slog.New(slog.DiscardHandler), h)
}

func adminGet(a *adminServer, method, path string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, nil)
	r.Host = "127.0.0.1:9192"
	w := httptest.NewRecorder()
	a.srv.Handler.ServeHTTP(w, r)
	return w
}

type emptyStatus struct{}

func (emptyStatus) Status() adminui.Status { return adminui.Status{} }

// TestAdminUIRouting: without admin.ui every /ui/ path is 404 and the
// other admin paths still work; with it, /ui/ serves the page under its
// CSP and refuses writes.
func TestAdminUIRouting(t *testing.T) {
	off := adminMux(t, nil)
	for _, p := range []string{"/ui/", "/ui/app.js", "/ui/api/status", "/ui/api/decisions"} {
		if w := adminGet(off, "GET", p); w.Code != 404 {
			t.Errorf("admin.ui off: GET %s = %d, want 404", p, w.Code)
		}
	}
	if w := adminGet(off, "GET", "/healthz"); w.Code != 200 {
		t.Errorf("/healthz = %d", w.Code)
	}
	ui, err := adminui.New(adminui.Options{Ring: adminui.NewRing(nil), Status: emptyStatus{}})
	if err != nil {
		t.Fatal(err)
	}
	on := adminMux(t, ui)
	w := adminGet(on, "GET", "/ui/")
	if w.Code != 200 || w.Header().Get("Content-Security-Policy") != adminui.CSP || !strings.Contains(w.Body.String(), "app.js") {
		t.Errorf("admin.ui on: GET /ui/ = %d %v", w.Code, w.Header())
	}
	if w := adminGet(on, "POST", "/ui/api/status"); w.Code != 405 || w.Header().Get("Content-Security-Policy") != adminui.CSP {
		t.Errorf("POST = %d %v", w.Code, w.Header())
	}
	if w := adminGet(on, "GET", "/metrics"); w.Code != 200 {
		t.Errorf("/metrics = %d", w.Code)
	}
}

// TestPolicySourceNameHidesCredentials: a bundle URL's userinfo, query and
// fragment never reach the page.
func TestPolicySourceNameHidesCredentials(t *testing.T) {
	got := policySourceName("", &config.PolicyBundle{URL: "https://user:pa55@bundles.example/v1/b.tar.gz?token=s3cret#x"})
	if got != "https://bundles.example/v1/b.tar.gz" {
		t.Errorf("source = %q", got)
	}
	if got := policySourceName("/etc/p", nil); got != "/etc/p" {
		t.Errorf("dir source = %q", got)
	}
}

func TestConfiguredTrustDomains(t *testing.T) {
	c := &config.Identity{TrustDomains: []string{"b.org", "a.org"}, Bundles: []config.Bundle{{TrustDomain: "a.org"}},
		Federation: []config.Federation{{TrustDomain: "c.org"}}}
	if got := configuredTrustDomains(c); !slices.Equal(got, []string{"a.org", "b.org", "c.org"}) {
		t.Errorf("trust domains = %v", got)
	}
}

// TestBundleStatusFromFiles: a trust domain served by bundle files shows
// its source, CA count and load time; one without a bundle is missing.
func TestBundleStatusFromFiles(t *testing.T) {
	ca := testca.New(t, "example.org")
	dir := t.TempDir()
	pem := filepath.Join(dir, "bundle.pem")
	if err := os.WriteFile(pem, ca.X509BundlePEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := identity.NewFileBundles([]identity.BundleFile{{TrustDomain: "example.org", X509PEM: pem}})
	if err != nil {
		t.Fatal(err)
	}
	s := &identitySources{files: files, logger: slog.New(slog.DiscardHandler)}
	s.onChange(func() {})
	t.Cleanup(func() { _ = s.close() })
	b := s.bundleStatus("example.org")
	if !b.Present || b.Source != "files" || b.Authorities != 1 || b.UpdatedAt.IsZero() {
		t.Errorf("example.org = %+v", b)
	}
	if m := s.bundleStatus("other.org"); m.Present || m.Source != "" {
		t.Errorf("other.org = %+v", m)
	}
}
