package proxy_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// pathsManifest has specific routes next to catch-alls, so that every trick
// of issue 8 has a weaker route to escape to.
const pathsManifest = `service: paths
routes:
  - name: public
    match: { method: GET, path: "/public/{rest...}" }
    action: ReadPublic
    resource: { type: Page, id: "{rest}" }
  - name: admin
    match: { method: GET, path: "/admin/{rest...}" }
    action: Admin
    resource: { type: Service, id: admin }
  - name: order
    match: { method: GET, path: "/orders/{id}" }
    action: ReadOrder
    resource: { type: Order, id: "{id}" }
  - name: catch-all
    match: { path: "/{rest...}" }
    action: ReadAny
    resource: { type: Page, id: "{rest}" }
`

const pathsPolicies = `@id("everyone") permit (principal, action, resource);
@id("no-admin") forbid (principal, action == Action::"Admin", resource);
@id("no-secret") forbid (principal, action, resource == Order::"secret");
`

func writePathsManifest(t *testing.T, mcpDir string) {
	harness.WriteFile(t, mcpDir, "manifest.yaml", []byte(pathsManifest))
	harness.WriteFile(t, filepath.Join(mcpDir, "policies"), "tools.cedar", []byte(pathsPolicies))
	// The copied examples/mcp baseline names MCP actions this manifest never
	// produces; Tollgate would rightly refuse it.
	if err := os.Remove(filepath.Join(mcpDir, "policies", "protocol.cedar")); err != nil {
		t.Fatal(err)
	}
}

// pathTrick is one raw request line; reach says whether it must reach the
// upstream (a sanity check that the proxy works), "" when either is fine
// as long as the upstream serves what Tollgate authorized.
type pathTrick struct {
	method, target, reach string
}

var pathTricks = []pathTrick{
	{"GET", "/public/x", "yes"},
	{"GET", "/orders/42", "yes"},
	{"GET", "/public/a%20b", "yes"},
	{"HEAD", "/orders/42", "yes"},
	{"GET", "/admin/x", "no"},
	{"GET", "/orders/secret", "no"},
	{"HEAD", "/orders/secret", "no"},
	{"GET", "/orders/secret;jsessionid=x", "no"},
	{"GET", "/orders/secret%3Bx", "no"},
	{"GET", "/admin;x/y", "no"},
	{"GET", "/public/../admin/x", "no"},
	{"GET", "/public/%2e%2e/admin/x", "no"},
	{"GET", "/public/.%2E/admin/x", "no"},
	{"GET", "/public/..;/admin/x", "no"},
	{"GET", "//admin/x", "no"},
	{"GET", "/public//x", ""},
	{"GET", "/public/x/", ""},
	{"GET", "/orders/secret/", "no"},
	{"GET", "/orders/%73ecret", "no"},
	{"GET", "/%61dmin/x", "no"},
	{"GET", "/orders/%252e%252e", ""},
	{"GET", "/orders/42?next=/admin/x", "yes"},
	{"GET", "/public/x#/../../admin/x", "no"},
	{"GET", "/Admin/x", ""},
	{"POST", "/admin/x", "no"},
	{"GET", "/public/%2Fadmin", "no"},
	{"GET", "/public/%5C..%5Cadmin", "no"},
	// Compatibility characters: "．．" is ".." and "／" is "/" to an
	// NFKC-normalising or best-fit upstream.
	{"GET", "/public/%EF%BC%8E%EF%BC%8E/admin/x", "no"},
	{"GET", "/public%EF%BC%8Fadmin/x", "no"},
	// A _method parameter that Symfony, Spring or Jersey would serve as DELETE.
	{"POST", "/x?_method=DELETE", "no"},
	{"POST", "/x?%5Fmethod=DELETE", "no"},
	// A method in lower case, which ASP.NET Core and Express match as DELETE.
	{"delete", "/x", "no"},
}

// rawRequest sends one request line exactly as written and returns the
// status, or 0 when the proxy closed the connection without an answer.
func rawRequest(t *testing.T, addr, method, target, jwt string) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n", method, target, addr, jwt)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// runPathTricks sends every trick through the proxy. Whenever a request
// reaches the upstream (Tollgate allowed it), the upstream must have been
// asked for the path Tollgate authorized: the same normal form, and a
// target in normal form itself, so that however the upstream routes it,
// it routes what Tollgate matched.
func runPathTricks(t *testing.T, e *env) {
	jwt := e.ca.NewJWTSVID(agentPath, []string{jwtAud})
	for _, tr := range pathTricks {
		t.Run(tr.method+" "+tr.target, func(t *testing.T) {
			status := rawRequest(t, e.proxyAddr, tr.method, tr.target, jwt)
			uris := e.tools.takeURIs()
			reached := len(uris) > 0
			t.Logf("status %d, upstream asked for %q", status, uris)
			if tr.reach == "yes" && (!reached || status != 200) || tr.reach == "no" && reached {
				t.Fatalf("status %d, upstream asked for %q; want reach=%s", status, uris, tr.reach)
			}
			if !reached {
				return
			}
			authorized, err := manifest.NormalizePath(tr.target)
			if err != nil {
				t.Fatalf("upstream asked for %q, but Tollgate refuses %q (%v): the proxy forwarded a refused path", uris, tr.target, err)
			}
			served, err := manifest.NormalizePath(uris[0])
			if len(uris) != 1 || err != nil || served != authorized {
				t.Fatalf("Tollgate authorized %q for %q, the upstream was asked for %q (%v)", authorized, tr.target, uris, err)
			}
		})
	}
}

func TestPathTricksNginx(t *testing.T) {
	e := startEnvWith(t, "nginx", writePathsManifest)
	startNginx(t, e)
	runPathTricks(t, e)
}

func TestPathTricksCaddy(t *testing.T) {
	e := startEnvWith(t, "caddy", writePathsManifest)
	startCaddy(t, e)
	runPathTricks(t, e)
}
