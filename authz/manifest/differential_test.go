package manifest

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// muxManifest is a manifest whose routes net/http's ServeMux can also hold:
// the same templates, with "GET /x" for a route listing GET.
const muxManifest = `
routes:
  - name: get-order
    match: {method: GET, path: '/orders/{id}'}
    action: ReadOrder
    resource: {type: Order, id: "{id}"}
  - name: put-order
    match: {method: PUT, path: '/orders/{id}'}
    action: UpdateOrder
    resource: {type: Order, id: "{id}"}
  - name: export
    match: {method: GET, path: /orders/export}
    action: Export
    resource: {type: Service, id: orders}
  - name: item
    match: {method: GET, path: '/orders/{id}/items/{item}'}
    action: ReadItem
    resource: {type: Item, id: "{id}/{item}"}
  - name: admin-users
    match: {method: GET, path: /admin/users}
    action: Admin
    resource: {type: Service, id: admin}
  - name: mcp
    match: {method: POST, path: /mcp}
    action: CallTool
    resource: {type: Service, id: mcp}
  - name: static
    match: {method: GET, path: '/static/{file...}'}
    action: ReadStatic
    resource: {type: Asset, id: "{file}"}
  - name: catch-all
    match: {path: '/{rest...}'}
    action: ReadPublic
    resource: {type: Page, id: "{rest}"}
`

// serveMux builds a ServeMux with the manifest's routes; each handler
// names its route and the path values it read.
func serveMux(t testing.TB, m *Manifest) *http.ServeMux {
	t.Helper()
	mux := http.NewServeMux()
	for _, r := range m.routes {
		pattern := r.Path
		if r.Methods != nil {
			if len(r.Methods) != 1 {
				t.Fatalf("route %s: one method per ServeMux pattern", r.Name)
			}
			pattern = r.Methods[0] + " " + r.Path
		}
		mux.HandleFunc(pattern, func(w http.ResponseWriter, req *http.Request) {
			w.Header().Set("Route", r.Name)
			for _, c := range r.captures {
				w.Header().Add("Values", req.PathValue(c))
			}
		})
	}
	return mux
}

// muxReading is what a Go upstream behind a raw-forwarding proxy serves
// for the request line: the route and its path values, or ok false when
// it serves no route (a 400, a redirect to the clean path, a 404 or 405).
func muxReading(mux *http.ServeMux, method, target string) (route string, vals []string, ok bool) {
	raw := method + " " + target + " HTTP/1.1\r\nHost: upstream\r\n\r\n"
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		return "", nil, false
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	route = rec.Header().Get("Route")
	return route, rec.Header().Values("Values"), route != ""
}

// checkAgainstMux fails when Tollgate matched a route for the request and
// the ServeMux upstream serves another route or other path values.
func checkAgainstMux(t *testing.T, m *Manifest, mux *http.ServeMux, method, target string) {
	lk := m.Lookup(method, target, false, false, nil)
	if lk.BadPath != "" || lk.Rule == nil {
		return // refused: nothing to disagree about
	}
	route, vals, ok := muxReading(mux, method, target)
	if !ok {
		return // the upstream serves no route
	}
	if route != lk.Rule.Name || strings.Join(vals, "\x00") != strings.Join(lk.Vals, "\x00") {
		t.Fatalf("%s %q: Tollgate authorizes route %q with %q, ServeMux serves %q with %q",
			method, target, lk.Rule.Name, lk.Vals, route, vals)
	}
}

// pathTricks are the parser-differential tricks of issue 8, as seeds.
var pathTricks = []string{
	"/orders/42", "/orders/secret;jsessionid=x", "/orders/secret%3Bx", "/admin;x/users", "/mcp;x",
	"/Admin/users", "/MCP", "/admin/../public/x", "/public/../admin/users", "/admin/%2e%2e/admin/users",
	"//admin/users", "/admin//users", "/admin/users/", "/orders/42/", "/%61dmin/users", "/orders/%252e%252e",
	"/orders/..;/admin/users", "/static/a/../../admin/users", "/static/%2e%2e/admin", "/orders/a%2Fb",
	"/orders/a%20b", "/orders/caf%C3%A9", "/orders/42?x=/admin/users", "/orders/42#/admin/users",
	"/orders/42/items/7", "/orders/export", "/static/css/site.css", "/orders/%3F", "/admin/users\\..",
}

func FuzzServeMuxDifferential(f *testing.F) {
	for _, p := range pathTricks {
		for _, method := range []string{"GET", "HEAD", "POST", "PUT"} {
			f.Add(method, p)
		}
	}
	m, err := Parse("mux.yaml", []byte(muxManifest))
	if err != nil {
		f.Fatal(err)
	}
	mux := serveMux(f, m)
	f.Fuzz(func(t *testing.T, method, target string) {
		checkAgainstMux(t, m, mux, method, target)
	})
}
