package authz

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// trickManifest has specific routes next to weaker catch-alls, the shape
// every parser-differential bypass of issue 8 needs.
var trickManifest = readFixture("manifest/testdata/tricks.manifest.yaml")

const trickPolicies = `
@id("everyone") permit (principal, action, resource);
@id("no-secret") forbid (principal, action, resource == Order::"secret");
@id("no-admin") forbid (principal, action == Action::"Admin", resource);
@id("no-tools") forbid (principal, action == Action::"CallTool", resource);
`

func trickEngine(t *testing.T, doc string) *Engine {
	t.Helper()
	m, err := manifest.Parse("tricks.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, loadPolicies(t, trickPolicies))
	cfg.Manifest = m
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

type trick struct {
	method, path string
	grpc         bool
	code         string // the expected decision code; never an allow
	reason       string // a substring of the reason, when it matters
}

func runTricks(t *testing.T, e *Engine, proxyNormalized bool, tricks []trick) {
	t.Helper()
	for _, tt := range tricks {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := req(frontend, tt.method, tt.path)
			r.ProxyNormalizedPath = proxyNormalized
			if tt.grpc {
				r.Headers["content-type"] = "application/grpc"
			}
			d := e.Check(context.Background(), r)
			if d.Allowed() || d.Code.String() != tt.code || !strings.Contains(d.Detail, tt.reason) {
				t.Fatalf("got %v %s (%s) action=%s resource=%s; want %s (%s)",
					d.Outcome, d.Code, d.Detail, d.Action, d.Resource, tt.code, tt.reason)
			}
		})
	}
}

// Issue 8 item 1: Tomcat, Jetty and Spring strip ";params" from a segment;
// Tollgate must not read "secret;jsessionid=x" as another order, nor fall
// through to a catch-all.
func TestPathParameterRefused(t *testing.T) {
	runTricks(t, trickEngine(t, trickManifest), false, []trick{
		{method: "GET", path: "/orders/secret;jsessionid=x", code: CodeBadPath.String(), reason: "path_param"},
		{method: "GET", path: "/orders/secret%3Bjsessionid=x", code: CodeBadPath.String(), reason: "path_param"},
		{method: "GET", path: "/orders/secret%3bx", code: CodeBadPath.String(), reason: "path_param"},
		{method: "GET", path: "/admin;x/users", code: CodeBadPath.String(), reason: "path_param"},
		{method: "POST", path: "/mcp;x", code: CodeBadPath.String(), reason: "path_param"},
		{method: "GET", path: "/orders/secret;", code: CodeBadPath.String(), reason: "path_param"},
	})
}

// Issue 8 item 3: HEAD runs the GET handler in most frameworks, and the
// upstream routes by path first, so a method the most specific template
// does not declare is denied, never sent to a weaker catch-all.
func TestMethodNeverFallsThrough(t *testing.T) {
	runTricks(t, trickEngine(t, trickManifest), false, []trick{
		{method: "HEAD", path: "/orders/secret", code: "forbid"},
		{method: "HEAD", path: "/admin/users", code: "forbid"},
		{method: "POST", path: "/admin/users", code: CodeNoRoute.String(), reason: "method"},
		{method: "GET", path: "/mcp", code: CodeNoRoute.String(), reason: "method"},
		{method: "DELETE", path: "/orders/secret", code: CodeNoRoute.String(), reason: "method"},
	})
}

// Issue 8 item 4: nginx proxy_pass without a URI part forwards the raw
// target, so a path that is not already in normal form is refused unless
// the proxy is declared to normalise it.
func TestNotNormalizedRefused(t *testing.T) {
	e := trickEngine(t, trickManifest)
	const notNorm = "not_normalized"
	runTricks(t, e, false, []trick{
		{method: "GET", path: "/admin/../public/x", code: CodeBadPath.String(), reason: notNorm},
		{method: "GET", path: "/public/../admin/users", code: CodeBadPath.String(), reason: notNorm},
		{method: "GET", path: "/admin/./users", code: CodeBadPath.String(), reason: notNorm},
		{method: "GET", path: "/admin//users", code: CodeBadPath.String(), reason: notNorm},
		{method: "GET", path: "//admin/users", code: CodeBadPath.String(), reason: notNorm},
		{method: "GET", path: "/admin/users/", code: CodeBadPath.String(), reason: notNorm},
		{method: "GET", path: "/admin/%2e%2e/orders/secret", code: CodeBadPath.String(), reason: notNorm},
		{method: "GET", path: "/%61dmin/users", code: CodeBadPath.String(), reason: notNorm},
		{method: "GET", path: "/orders/%73ecret", code: CodeBadPath.String(), reason: notNorm},
		{method: "GET", path: "/orders/%252e%252e", code: CodeBadPath.String(), reason: notNorm},
	})
	// The plain forms still work.
	for _, p := range []string{"/orders/7", "/public/a%20b", "/caf%C3%A9/x", "/a/.well-known"} {
		if d := e.Check(context.Background(), req(frontend, "GET", p)); !d.Allowed() {
			t.Errorf("GET %s: %s (%s), want an allow", p, d.Code, d.Detail)
		}
	}
}

// With listen.proxy_normalizes_path (Envoy normalize_path and
// merge_slashes), dot segments and duplicate slashes were resolved by the
// proxy for the upstream too, so Tollgate resolves them the same way. A
// trailing slash, which Envoy keeps, is still refused.
func TestProxyNormalizedPathResolved(t *testing.T) {
	e := trickEngine(t, trickManifest)
	runTricks(t, e, true, []trick{
		{method: "GET", path: "/public/../admin/users", code: "forbid"},
		{method: "GET", path: "//admin//users", code: "forbid"},
		{method: "GET", path: "/x/%2e%2e/orders/secret", code: "forbid"},
		{method: "GET", path: "/admin/users/", code: CodeBadPath.String(), reason: "not_normalized"},
		{method: "GET", path: "/orders/secret;x", code: CodeBadPath.String(), reason: "path_param"},
	})
}

// Issue 8 item 3: a gRPC server routes on the exact :path; any other form
// is refused rather than normalised into a method.
func TestGRPCPathMustBeCanonical(t *testing.T) {
	e := newTestEngine(t, ordersPolicies(t))
	for _, proxy := range []bool{false, true} {
		runTricks(t, e, proxy, []trick{
			{method: "POST", path: "/acme.orders.v1.Orders/GetOrder/", grpc: true, code: CodeBadPath.String(), reason: "grpc_path"},
			{method: "POST", path: "//acme.orders.v1.Orders/GetOrder", grpc: true, code: CodeBadPath.String(), reason: "grpc_path"},
			{method: "POST", path: "/acme.orders.v1.Orders//GetOrder", grpc: true, code: CodeBadPath.String(), reason: "grpc_path"},
			{method: "POST", path: "/x/../acme.orders.v1.Orders/GetOrder", grpc: true, code: CodeBadPath.String(), reason: "grpc_path"},
			{method: "POST", path: "/acme.orders.v1.Orders/./GetOrder", grpc: true, code: CodeBadPath.String(), reason: "grpc_path"},
			{method: "POST", path: "/acme.orders.v1.Orders/Get%4Frder", grpc: true, code: CodeBadPath.String(), reason: "grpc_path"},
			{method: "POST", path: "/acme.orders.v1.Orders/GetOrder?x=1", grpc: true, code: CodeBadPath.String(), reason: "grpc_path"},
			{method: "POST", path: "/acme.orders.v1.Orders/GetOrder;x", grpc: true, code: CodeBadPath.String()},
		})
	}
}

// Issue 8 item 2: a manifest declares that its upstream matches paths
// case-insensitively (ASP.NET and others); then a case variant matches
// the specific route, never a weaker catch-all.
func TestCaseInsensitiveManifest(t *testing.T) {
	e := trickEngine(t, "path_case: insensitive\n"+trickManifest)
	runTricks(t, e, false, []trick{
		{method: "GET", path: "/Admin/users", code: "forbid"},
		{method: "GET", path: "/ADMIN/USERS", code: "forbid"},
		{method: "POST", path: "/MCP", code: "forbid"},
		{method: "HEAD", path: "/Orders/secret", code: "forbid"},
		// Non-ASCII letters that some runtimes fold to ASCII are refused.
		{method: "GET", path: "/adm%C4%B1n/users", code: CodeBadPath.String(), reason: "ambiguous_case"},
		{method: "GET", path: "/admin/u%C5%BFers", code: CodeBadPath.String(), reason: "ambiguous_case"},
	})
	// Captured values keep their case.
	got, err := e.Manifest().Match("GET", "/ORDERS/AbC", false)
	if err != nil || got.Route.Name != "order" || got.Resource.ID != "AbC" {
		t.Fatalf("got %+v, %v", got, err)
	}
	// By default paths are matched exactly, and a case variant that another
	// folding would route elsewhere is refused.
	if got, err := ordersManifest(t).Match("GET", "/Orders/42", false); !errors.Is(err, manifest.ErrBadPath) {
		t.Fatalf("got %+v, %v", got, err)
	}
}

// A case-sensitive manifest (the default) does not know whether its
// upstream folds case, so a path whose case-folded reading would take
// another route is refused; case in captured values is left alone.
func TestCaseVariantsRefusedByDefault(t *testing.T) {
	e := trickEngine(t, trickManifest+`
  - name: cafe
    match: {method: GET, path: '/café/menu'}
    action: ReadPublic
    resource: {type: Page, id: cafe}
`)
	runTricks(t, e, false, []trick{
		{method: "GET", path: "/Admin/users", code: CodeBadPath.String(), reason: "ambiguous_case"},
		{method: "GET", path: "/admin/USERS", code: CodeBadPath.String(), reason: "ambiguous_case"},
		{method: "POST", path: "/MCP", code: CodeBadPath.String(), reason: "ambiguous_case"},
		{method: "HEAD", path: "/ORDERS/secret", code: CodeBadPath.String(), reason: "ambiguous_case"},
		{method: "GET", path: "/admin/u%C5%BFers", code: CodeBadPath.String(), reason: "ambiguous_case"},
		{method: "GET", path: "/CAF%C3%89/menu", code: CodeBadPath.String(), reason: "ambiguous_case"},
		{method: "GET", path: "/orders/secret", code: "forbid"},
	})
	for _, p := range []string{"/orders/AbC", "/Public/Page", "/kategori/kad%C4%B1n", "/caf%C3%A9/menu"} {
		if d := e.Check(context.Background(), req(frontend, "GET", p)); !d.Allowed() {
			t.Errorf("GET %s: %s (%s), want an allow", p, d.Code, d.Detail)
		}
	}
}
