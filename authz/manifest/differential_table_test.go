package manifest

import (
	"strings"
	"testing"
)

// How other programs read each trick of issue 8, against trickManifest's
// routes (order GET /orders/{id}, admin-users GET /admin/users, mcp POST
// /mcp, catch-all /{rest...}). A reading is the route the program's
// upstream serves, "400"/"404"/"405" for a refusal, or, for a proxy, "=>"
// and the path it forwards. A reading starting with "~" is a documented
// difference in which the program serves the weaker catch-all while
// Tollgate applies the more specific route's policy (never the reverse).
//
// Sources: Tomcat/Jetty strip ";params" per segment before routing
// (Servlet spec, getServletPath) and resolve dot segments after decoding;
// Spring Security's StrictHttpFirewall rejects ";", "%3B", "//", "%2e"
// and "%25" (a refusal, written "400"); ASP.NET Core and
// Express route case-insensitively by default, Spring, Starlette and
// net/http case-sensitively; Express and Starlette route the raw path
// without resolving dot segments; nginx proxy_pass without a URI part
// forwards $request_uri unchanged, with a URI part it forwards its
// normalised, decoded and re-encoded path; Envoy with normalize_path and
// merge_slashes resolves dot segments (also %2E), merges slashes and keeps
// a trailing slash; net/http runs a "GET /x" handler for HEAD, as do
// Express and Spring; ASP.NET Core's MapGet does not.
var consumerTable = []struct {
	method, path string
	insensitive  bool              // the manifest declares path_case: insensitive
	proxyNorm    bool              // listen.proxy_normalizes_path (Envoy normalises)
	want         string            // Tollgate: route name, or "bad_path:<code>" / "no_route"
	readings     map[string]string // program -> reading
}{
	{method: "GET", path: "/orders/secret;jsessionid=x", want: "bad_path:path_param", readings: map[string]string{
		"tomcat": "order(secret)", "spring": "400", "express": "order(secret;jsessionid=x)", "aspnet": "order(secret;jsessionid=x)",
		"nginx": "=>/orders/secret;jsessionid=x", "envoy": "=>/orders/secret;jsessionid=x"}},
	{method: "GET", path: "/admin;x/users", want: "bad_path:path_param", readings: map[string]string{
		"tomcat": "admin-users", "express": "catch-all", "starlette": "catch-all"}},
	{method: "POST", path: "/mcp;x", want: "bad_path:path_param", readings: map[string]string{
		"tomcat": "mcp", "express": "catch-all", "aspnet": "catch-all"}},
	{method: "GET", path: "/orders/secret%3Bx", want: "bad_path:path_param", readings: map[string]string{
		"tomcat": "order(secret;x)", "spring": "400", "express": "order(secret;x)"}},
	{method: "GET", path: "/Admin/users", want: "bad_path:ambiguous_case", readings: map[string]string{
		"spring": "catch-all", "starlette": "catch-all", "net/http": "catch-all", "nginx": "=>/Admin/users"}},
	{method: "GET", path: "/Admin/users", insensitive: true, want: "admin-users", readings: map[string]string{
		"aspnet": "admin-users", "express": "admin-users"}},
	{method: "POST", path: "/MCP", want: "bad_path:ambiguous_case", readings: map[string]string{
		"spring": "catch-all", "starlette": "catch-all", "net/http": "catch-all"}},
	{method: "POST", path: "/MCP", insensitive: true, want: "mcp", readings: map[string]string{
		"aspnet": "mcp", "express": "mcp"}},
	{method: "GET", path: "/adm%C4%B1n/users", insensitive: true, want: "bad_path:ambiguous_case", readings: map[string]string{
		"aspnet": "admin-users", "express": "catch-all"}},
	{method: "GET", path: "/admin/u%C5%BFers", want: "bad_path:ambiguous_case", readings: map[string]string{
		"aspnet": "admin-users", "spring": "catch-all"}},
	{method: "GET", path: "/admin/../public/x", want: "bad_path:not_normalized", readings: map[string]string{
		"express": "catch-all(admin/../public/x)", "starlette": "catch-all(admin/../public/x)", "tomcat": "catch-all(public/x)",
		"nginx": "=>/admin/../public/x", "net/http": "redirect /public/x"}},
	{method: "GET", path: "/admin/../public/x", proxyNorm: true, want: "catch-all", readings: map[string]string{
		"envoy": "=>/public/x"}},
	{method: "GET", path: "/public/%2e%2e/admin/users", want: "bad_path:not_normalized", readings: map[string]string{
		"express": "catch-all", "tomcat": "admin-users", "spring": "400", "nginx": "=>/public/%2e%2e/admin/users"}},
	{method: "GET", path: "/public/%2e%2e/admin/users", proxyNorm: true, want: "admin-users", readings: map[string]string{
		"envoy": "=>/admin/users"}},
	{method: "GET", path: "//admin/users", want: "bad_path:not_normalized", readings: map[string]string{
		"express": "catch-all", "spring": "400", "nginx": "=>//admin/users", "net/http": "redirect /admin/users"}},
	{method: "GET", path: "//admin//users", proxyNorm: true, want: "admin-users", readings: map[string]string{
		"envoy": "=>/admin/users"}},
	{method: "GET", path: "/%61dmin/users", want: "bad_path:not_normalized", readings: map[string]string{
		"express": "catch-all", "aspnet": "admin-users", "net/http": "admin-users", "nginx": "=>/%61dmin/users"}},
	{method: "GET", path: "/orders/%252e%252e", want: "bad_path:not_normalized", readings: map[string]string{
		"express": "order(%2e%2e)", "spring": "400", "double-decoding upstream": "order(..)"}},
	{method: "GET", path: "/admin/users/", want: "bad_path:not_normalized", readings: map[string]string{
		"express": "admin-users", "aspnet": "admin-users", "spring": "catch-all", "net/http": "catch-all"}},
	{method: "GET", path: "/admin/users/", proxyNorm: true, want: "bad_path:not_normalized", readings: map[string]string{
		"envoy": "=>/admin/users/"}},
	{method: "GET", path: "/orders/42#/admin/users", want: "bad_path:fragment", readings: map[string]string{
		"net/http": "catch-all(orders/42#/admin/users)", "nginx": "=>/orders/42"}},
	{method: "HEAD", path: "/admin/users", want: "admin-users", readings: map[string]string{
		"net/http": "admin-users", "express": "admin-users", "spring": "admin-users", "aspnet": "~catch-all"}},
	{method: "POST", path: "/admin/users", want: "no_route", readings: map[string]string{
		"net/http": "catch-all", "express": "catch-all", "spring": "405"}},
	{method: "GET", path: "/orders/a%20b", want: "order", readings: map[string]string{
		"express": "order", "tomcat": "order", "aspnet": "order", "net/http": "order", "nginx": "=>/orders/a%20b"}},
}

// TestConsumerTable asserts, for each trick, that Tollgate refuses it or
// reads it as every listed program does.
func TestConsumerTable(t *testing.T) {
	for _, tt := range consumerTable {
		name := tt.method + " " + tt.path
		if tt.insensitive {
			name += " (path_case: insensitive)"
		}
		if tt.proxyNorm {
			name += " (proxy normalises)"
		}
		t.Run(name, func(t *testing.T) {
			doc := trickManifest
			if tt.insensitive {
				doc = "path_case: insensitive\n" + doc
			}
			m, err := Parse("tricks.yaml", []byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			lk := m.Lookup(tt.method, tt.path, false, tt.proxyNorm, nil)
			got := tollgateReading(lk)
			if got != tt.want {
				t.Fatalf("Tollgate reads %s, want %s", got, tt.want)
			}
			if strings.HasPrefix(got, "bad_path:") || got == "no_route" {
				return // refused: nothing to disagree about
			}
			for prog, r := range tt.readings {
				if !agrees(r, got, lk, tt.path) {
					t.Errorf("%s reads %q, Tollgate %s (%s)", prog, r, got, lk.Path)
				}
			}
		})
	}
}

func tollgateReading(lk Lookup) string {
	switch {
	case lk.BadPath != "":
		return "bad_path:" + string(lk.BadPath)
	case lk.Rule == nil:
		return "no_route"
	}
	return lk.Rule.Name
}

// agrees reports whether a program's reading is compatible with
// Tollgate's: the same route, a refusal, a proxy forwarding the path
// Tollgate matched, or a documented weaker reading.
func agrees(reading, route string, lk Lookup, raw string) bool {
	switch {
	case reading == "400" || reading == "404" || reading == "405":
		return true
	case strings.HasPrefix(reading, "=>"):
		fwd := strings.TrimPrefix(reading, "=>")
		canon, err := ResolvePath(fwd)
		return fwd == raw && err == nil || canon == lk.Path
	case strings.HasPrefix(reading, "~"):
		return strings.HasPrefix(reading, "~catch-all") && route != "catch-all"
	}
	r, _, _ := strings.Cut(reading, "(")
	return r == route
}
