package authz_test

import (
	"context"
	"fmt"
	"log"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
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
	manifest, err := authz.LoadManifest("testdata/orders.manifest.yaml")
	if err != nil {
		log.Fatal(err)
	}
	policies, err := policy.LoadDir("testdata/policies", policy.Options{})
	if err != nil {
		log.Fatal(err)
	}
	engine, err := authz.NewEngine(authz.Config{Identifier: trustProxy{}, Policies: policies, Manifest: manifest})
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

func ExampleNormalizePath() {
	for _, raw := range []string{"/orders/42?q=1", "/a%20b", "/orders/../admin", "/orders/7;x", "/a%2Fb"} {
		p, err := authz.NormalizePath(raw)
		fmt.Printf("%q %q %v\n", raw, p, err)
	}
	// Output:
	// "/orders/42?q=1" "/orders/42" <nil>
	// "/a%20b" "/a b" <nil>
	// "/orders/../admin" "" authz: malformed request path: not_normalized
	// "/orders/7;x" "" authz: malformed request path: path_param
	// "/a%2Fb" "" authz: malformed request path: encoded_separator
}

func ExampleResolvePath() {
	for _, raw := range []string{"/orders/../admin", "//a/./b?q=1", "/a/%252e%252e", "/a/b/"} {
		p, err := authz.ResolvePath(raw)
		fmt.Printf("%q %q %v\n", raw, p, err)
	}
	// Output:
	// "/orders/../admin" "/admin" <nil>
	// "//a/./b?q=1" "/a/b" <nil>
	// "/a/%252e%252e" "/a/%252e%252e" <nil>
	// "/a/b/" "" authz: malformed request path: not_normalized
}

func ExampleParseManifest() {
	_, err := authz.ParseManifest("manifest.yaml", []byte(`
routes:
  - match:
      method: GET
      paht: /orders/{id}
    action: ReadOrder
    resource: {type: Order, id: "{id}"}
`))
	fmt.Println(err)
	// Output:
	// authz: manifest.yaml:5: routes[0].match: unknown key "paht"
}
