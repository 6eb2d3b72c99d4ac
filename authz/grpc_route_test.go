package authz

import (
	"context"
	"testing"
)

// grpcTrickManifest has a gRPC method route next to an HTTP catch-all.
var grpcTrickManifest = trickManifest + `
  - name: delete-order
    match: {grpc: /acme.orders.v1.Orders/DeleteOrder}
    action: Admin
    resource: {type: Service, id: orders}
  - name: orders-service
    match: {grpc: '/acme.orders.v1.Orders/*'}
    action: Admin
    resource: {type: Service, id: "{method}"}
`

// TestGRPCRouteWhateverTheContentType: the gRPC method a path names is
// served whatever content type Tollgate thinks the request has. grpc-go
// takes a request as gRPC when any of its content-type values is
// application/grpc (Envoy joins them with ","), and connect-go serves
// the same method for application/json and application/proto (the
// Connect protocol). Neither may fall through to an HTTP catch-all: the
// first is the gRPC call, the second no_route (gRPC routes match gRPC
// calls only).
func TestGRPCRouteWhateverTheContentType(t *testing.T) {
	e := trickEngine(t, grpcTrickManifest)
	for _, tt := range []struct{ name, method, path, contentType, code string }{
		{"grpc", "POST", "/acme.orders.v1.Orders/DeleteOrder", "application/grpc", "forbid"},
		{"repeated content-type", "POST", "/acme.orders.v1.Orders/DeleteOrder", "text/plain,application/grpc", "forbid"},
		{"repeated content-type, spaced", "POST", "/acme.orders.v1.Orders/DeleteOrder", "text/plain, application/grpc+proto", "forbid"},
		{"connect json", "POST", "/acme.orders.v1.Orders/DeleteOrder", "application/json", CodeNoRoute.String()},
		{"connect proto, service wildcard", "POST", "/acme.orders.v1.Orders/ListOrders", "application/proto", CodeNoRoute.String()},
		{"connect GET", "GET", "/acme.orders.v1.Orders/ListOrders", "", CodeNoRoute.String()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := req(frontend, tt.method, tt.path)
			if tt.contentType != "" {
				r.Headers["content-type"] = tt.contentType
			}
			d := e.Check(context.Background(), r)
			if d.Allowed() || d.Code.String() != tt.code {
				t.Fatalf("got %v %s (%s) action=%s resource=%s; want %s", d.Outcome, d.Code, d.Detail, d.Action, d.Resource, tt.code)
			}
		})
	}
	// Other paths still reach the HTTP routes.
	if d := e.Check(context.Background(), req(frontend, "GET", "/public/x")); !d.Allowed() {
		t.Fatalf("GET /public/x: %s (%s), want an allow", d.Code, d.Detail)
	}
}
