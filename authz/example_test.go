package authz_test

import (
	"context"
	"fmt"
	"log"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/policy"
)

// trustProxy stands in for identity.Verifier: it trusts the source
// principal the proxy forwarded. Never do this in production.
type trustProxy struct{}

func (trustProxy) Verify(_ context.Context, c identity.Credentials) (identity.Identity, error) {
	id, err := spiffeid.FromString(c.SourcePrincipal)
	if err != nil {
		return identity.Identity{}, &identity.Error{Reason: identity.ReasonMalformed, Err: err}
	}
	return identity.Identity{ID: id, Source: identity.SourcePrincipal}, nil
}

func ExampleEngine_Check() {
	m, err := manifest.Load("testdata/orders.manifest.yaml")
	if err != nil {
		log.Fatal(err)
	}
	policies, err := policy.LoadDir("testdata/policies", policy.Options{})
	if err != nil {
		log.Fatal(err)
	}
	engine, err := authz.NewEngine(authz.Config{Identifier: trustProxy{}, Policies: policies, Manifest: m})
	if err != nil {
		log.Fatal(err)
	}
	for _, path := range []string{"/orders/42?expand=items", "/orders/13", "/orders/%2e%2e/admin/users", "/orders%2F42"} {
		d := engine.Check(context.Background(), &authz.Request{
			Method:      "GET",
			Path:        path,
			Credentials: identity.Credentials{SourcePrincipal: "spiffe://example.org/ns/shop/sa/frontend"},
		})
		fmt.Println(path, "=>", d.Outcome, d.Code, d.Action, d.Resource, d.Policies)
	}
	// Output:
	// /orders/42?expand=items => allow permit Action::"ReadOrder" Order::"42" [frontend-reads-orders]
	// /orders/13 => forbidden forbid Action::"ReadOrder" Order::"13" [no-order-13]
	// /orders/%2e%2e/admin/users => bad_request bad_path   []
	// /orders%2F42 => bad_request bad_path   []
}
