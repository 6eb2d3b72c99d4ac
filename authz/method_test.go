package authz

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// anyMethodManifest routes every method of /orders/{id} to one action; a
// policy tells the methods apart by context.method.
const anyMethodManifest = `
routes:
  - name: order
    match: {path: '/orders/{id}'}
    action: AccessOrder
    resource: {type: Order, id: "{id}"}
`

const noDeletePolicies = `
@id("everyone") permit (principal, action, resource);
@id("no-delete") forbid (principal, action, resource) when { context.method == "DELETE" };
`

// TestMethodMustBeUpperCaseToken: HTTP methods are case-sensitive, but
// ASP.NET Core and Express match them case-insensitively, so "delete"
// reaches their DELETE handler. Tollgate would read it as a method the
// policy never names; a method that is not an upper-case token is a bad
// request, never an allow.
func TestMethodMustBeUpperCaseToken(t *testing.T) {
	e := anyMethodEngine(t)
	for _, method := range []string{"delete", "Delete", "", "DELETE ", " GET", "GE\x00T", "GET,DELETE"} {
		t.Run(method, func(t *testing.T) {
			d := e.Check(context.Background(), req(frontend, method, "/orders/42"))
			if d.Allowed() || d.Code != CodeBadRequest {
				t.Fatalf("method %q: got %v %s (%s), want a bad_request denial", method, d.Outcome, d.Code, d.Detail)
			}
		})
	}
	if d := e.Check(context.Background(), req(frontend, "DELETE", "/orders/42")); d.Code != CodeForbid {
		t.Fatalf("DELETE: got %s (%s), want forbid", d.Code, d.Detail)
	}
	for _, method := range []string{"GET", "PATCH", "M-SEARCH", "PROPFIND"} {
		if d := e.Check(context.Background(), req(frontend, method, "/orders/42")); !d.Allowed() {
			t.Errorf("%s: got %s (%s), want an allow", method, d.Code, d.Detail)
		}
	}
}

func anyMethodEngine(t *testing.T) *Engine {
	t.Helper()
	m, err := manifest.Parse("any.yaml", []byte(anyMethodManifest))
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, loadPolicies(t, noDeletePolicies))
	cfg.Manifest = m
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestMethodOverrideRefused: Express's method-override, ASP.NET Core's
// UseHttpMethodOverride, Rack, Symfony and Jersey serve a POST carrying
// X-HTTP-Method-Override (or X-HTTP-Method, X-Method-Override, or a
// _method query parameter) as the method it names. Tollgate reads the
// request method, so an override naming another method is a bad request.
func TestMethodOverrideRefused(t *testing.T) {
	e := anyMethodEngine(t)
	for _, tt := range []struct {
		name, path string
		headers    map[string]string
	}{
		{"x-http-method-override", "/orders/42", map[string]string{"x-http-method-override": "DELETE"}},
		{"x-http-method", "/orders/42", map[string]string{"x-http-method": "DELETE"}},
		{"x-method-override", "/orders/42", map[string]string{"x-method-override": "delete"}},
		{"empty override", "/orders/42", map[string]string{"x-http-method-override": ""}},
		{"repeated override", "/orders/42", map[string]string{"x-http-method-override": "POST,DELETE"}},
		{"_method query", "/orders/42?_method=DELETE", nil},
		{"_method query, lower case", "/orders/42?a=1&_method=delete", nil},
		{"_method query, escaped name", "/orders/42?%5Fmethod=DELETE", nil},
		{"_method query, escaped letters", "/orders/42?_m%65thod=DELETE", nil},
		{"_method query, ; separator", "/orders/42?a=1;_method=DELETE", nil},
		{"_method query, no value", "/orders/42?_method", nil},
		{"_method query, PHP reads . as _", "/orders/42?.method=DELETE", nil},
		{"_method query, PHP reads + as _", "/orders/42?+method=DELETE", nil},
		{"_method query, repeated", "/orders/42?_method=POST&_method=DELETE", nil},
		// CGI-style servers (Rack, PHP, WSGI) read underscores as dashes.
		{"x_http_method_override", "/orders/42", map[string]string{"x_http_method_override": "DELETE"}},
		{"x-http_method", "/orders/42", map[string]string{"x-http_method": "DELETE"}},
		{"x_method_override", "/orders/42", map[string]string{"x_method_override": "DELETE"}},
		{"x_original_url", "/orders/42", map[string]string{"x_original_url": "/admin/users"}},
		{"x_rewrite-url", "/orders/42", map[string]string{"x_rewrite-url": "/admin/users"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := req(frontend, "POST", tt.path)
			for k, v := range tt.headers {
				r.Headers[k] = v
			}
			d := e.Check(context.Background(), r)
			if d.Allowed() || d.Code != CodeBadRequest {
				t.Fatalf("got %v %s (%s), want a bad_request denial", d.Outcome, d.Code, d.Detail)
			}
		})
	}
	// An override naming the request's own method, and look-alike
	// parameters, change nothing.
	for _, tt := range []struct{ path, override string }{
		{"/orders/42", "POST"},
		{"/orders/42?method=DELETE&x_method=DELETE&_methods=DELETE", ""},
		{"/orders/42?_method=POST", ""},
	} {
		r := req(frontend, "POST", tt.path)
		if tt.override != "" {
			r.Headers["x-http-method-override"] = tt.override
		}
		if d := e.Check(context.Background(), r); !d.Allowed() {
			t.Errorf("POST %s (override %q): got %s (%s), want an allow", tt.path, tt.override, d.Code, d.Detail)
		}
	}
}

// FuzzMethodOverride: whenever net/url reads a _method parameter naming
// another method (with "&" or ";" separators), methodOverridden reports it.
func FuzzMethodOverride(f *testing.F) {
	for _, s := range []string{"_method=DELETE", "a=1;_method=delete", "%5Fmethod=PUT", "_method", ".method=X", "_method=POST&_method=GET", "_m%65thod=%44ELETE"} {
		f.Add("POST", s)
	}
	f.Fuzz(func(t *testing.T, method, query string) {
		r := &Request{Method: method, Path: "/x?" + query}
		got := methodOverridden(r)
		for _, part := range strings.FieldsFunc(query, func(c rune) bool { return c == '&' || c == ';' }) {
			name, value, _ := strings.Cut(part, "=")
			n, err1 := url.QueryUnescape(name)
			v, err2 := url.QueryUnescape(value)
			if err1 == nil && err2 == nil && n == "_method" && v != method && !got {
				t.Fatalf("method %q, query %q: net/url reads _method=%q, methodOverridden does not", method, query, v)
			}
		}
	})
}

// TestURLOverrideRefused: IIS's URL Rewrite sets X-Original-URL, and
// frameworks that trust it (Zend Framework, older Symfony) route that
// header's path instead of the request's: "GET /public/x" with
// "X-Original-URL: /admin/users" serves the admin page. An override
// naming another target than the request's is a bad request.
func TestURLOverrideRefused(t *testing.T) {
	e := trickEngine(t, trickManifest)
	for _, h := range []string{"x-original-url", "x-rewrite-url"} {
		r := req(frontend, "GET", "/public/x")
		r.Headers[h] = "/admin/users"
		if d := e.Check(context.Background(), r); d.Allowed() || d.Code != CodeBadRequest {
			t.Errorf("%s: got %v %s (%s), want a bad_request denial", h, d.Outcome, d.Code, d.Detail)
		}
		r.Headers[h] = "/public/x"
		if d := e.Check(context.Background(), r); !d.Allowed() {
			t.Errorf("%s naming the request's own target: got %s (%s), want an allow", h, d.Code, d.Detail)
		}
	}
}
