package manifest

import (
	"errors"
	"testing"
)

const precedenceManifest = `
routes:
  - name: lit
    match: {path: /a/b/c}
    action: A
    resource: {type: T, id: lit}
  - name: param-lit
    match: {path: '/a/{x}/c'}
    action: A
    resource: {type: T, id: "p-{x}"}
  - name: lit-param
    match: {path: '/a/b/{y}'}
    action: A
    resource: {type: T, id: "q-{y}"}
  - name: rest
    match: {path: '/a/{r...}'}
    action: A
    resource: {type: T, id: "r-{r}"}
  - name: get-only
    match: {method: GET, path: '/m/{id}'}
    action: A
    resource: {type: T, id: "get-{id}"}
  - name: any-method
    match: {path: '/m/{id}'}
    action: A
    resource: {type: T, id: "any-{id}"}
  - name: post-lit
    match: {method: POST, path: /m/special}
    action: A
    resource: {type: T, id: special}
  - name: root
    match: {path: /}
    action: A
    resource: {type: T, id: root}
`

func TestMatchPrecedence(t *testing.T) {
	m, err := Parse("p.yaml", []byte(precedenceManifest))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ method, path, route, id string }{
		{"GET", "/a/b/c", "lit", "lit"},
		{"GET", "/a/z/c", "param-lit", "p-z"},
		{"GET", "/a/b/z", "lit-param", "q-z"},  // literal b beats {x} at segment 2
		{"GET", "/a/b", "rest", "r-b"},         // {y} needs a third segment
		{"GET", "/a/z/c/d", "rest", "r-z/c/d"}, // backtracks to rest
		{"GET", "/a/%3F", "rest", "r-?"},       // captures are decoded
		{"GET", "/a/%23%3F/c", "param-lit", "p-#?"},
		{"GET", "/m/1", "get-only", "get-1"},
		{"PUT", "/m/1", "any-method", "any-1"},
		{"POST", "/m/special", "post-lit", "special"},
		{"HEAD", "/m/1", "get-only", "get-1"}, // HEAD is served by GET
		{"POST", "/m/1", "any-method", "any-1"},
		{"GET", "/", "root", "root"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			got, err := m.Match(tt.method, tt.path, false)
			if err != nil {
				t.Fatal(err)
			}
			if got.Route.Name != tt.route || string(got.Resource.ID) != tt.id {
				t.Errorf("got route %q id %q, want %q %q", got.Route.Name, got.Resource.ID, tt.route, tt.id)
			}
		})
	}
}

func TestMatchOrders(t *testing.T) {
	m, err := Load("../testdata/orders.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path string
		grpc         bool
		action, res  string // empty action: no route
	}{
		{"GET", "/orders/42", false, `Action::"ReadOrder"`, `Order::"42"`},
		{"HEAD", "/orders/42", false, `Action::"ReadOrder"`, `Order::"42"`},
		{"PUT", "/orders/42", false, `Action::"UpdateOrder"`, `Order::"42"`},
		{"DELETE", "/orders/42", false, "", ""},
		{"get", "/orders/42", false, "", ""}, // methods are case sensitive
		{"GET", "/orders/export", false, `Action::"ExportOrders"`, `Service::"orders"`},
		{"GET", "/orders", false, `Action::"ListOrders"`, `Service::"orders"`},
		{"GET", "/orders/42/items", false, "", ""},
		{"GET", "/admin", false, "", ""}, // {rest...} needs at least one segment
		{"GET", "/static/css/site.css", false, `Action::"ReadStatic"`, `Acme::Asset::"static/css/site.css"`},
		{"POST", "/acme.orders.v1.Orders/GetOrder", true, `Action::"ReadOrder"`, `Service::"orders"`},
		{"POST", "/acme.orders.v1.Orders/ListOrders", true, `Orders::Action::"call"`, `GrpcMethod::"acme.orders.v1.Orders/ListOrders"`},
		{"POST", "/acme.orders.v1.Orders/GetOrder", false, "", ""}, // gRPC routes match gRPC calls only
		{"GET", "/acme.orders.v1.Orders/GetOrder", true, "", ""},   // and only POST
		{"POST", "/acme.orders.v1.Other/GetOrder", true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			got, err := m.Match(tt.method, tt.path, tt.grpc)
			if tt.action == "" {
				if !errors.Is(err, ErrNoRoute) {
					t.Fatalf("want ErrNoRoute, got %+v, %v", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Action.String() != tt.action || got.Resource.String() != tt.res {
				t.Errorf("got %s %s, want %s %s", got.Action, got.Resource, tt.action, tt.res)
			}
		})
	}
}

func TestMatchBadPath(t *testing.T) {
	m, err := Load("../testdata/orders.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/orders%2F42", "/orders/../admin/x", "/orders/7;x", "/orders/7/", "/Orders/42"} {
		if _, err := m.Match("GET", p, false); !errors.Is(err, ErrBadPath) {
			t.Fatalf("%s: err = %v", p, err)
		}
	}
}
