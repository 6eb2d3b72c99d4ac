package manifest_test

import (
	"fmt"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

func ExampleNormalizePath() {
	for _, raw := range []string{"/orders/42?q=1", "/a%20b", "/orders/../admin", "/orders/7;x", "/a%2Fb"} {
		p, err := manifest.NormalizePath(raw)
		fmt.Printf("%q %q %v\n", raw, p, err)
	}
	// Output:
	// "/orders/42?q=1" "/orders/42" <nil>
	// "/a%20b" "/a b" <nil>
	// "/orders/../admin" "" manifest: malformed request path: not_normalized
	// "/orders/7;x" "" manifest: malformed request path: path_param
	// "/a%2Fb" "" manifest: malformed request path: encoded_separator
}

func ExampleResolvePath() {
	for _, raw := range []string{"/orders/../admin", "//a/./b?q=1", "/a/%252e%252e", "/a/b/"} {
		p, err := manifest.ResolvePath(raw)
		fmt.Printf("%q %q %v\n", raw, p, err)
	}
	// Output:
	// "/orders/../admin" "/admin" <nil>
	// "//a/./b?q=1" "/a/b" <nil>
	// "/a/%252e%252e" "/a/%252e%252e" <nil>
	// "/a/b/" "" manifest: malformed request path: not_normalized
}

func ExampleParse() {
	_, err := manifest.Parse("manifest.yaml", []byte(`
routes:
  - match:
      method: GET
      paht: /orders/{id}
    action: ReadOrder
    resource: {type: Order, id: "{id}"}
`))
	fmt.Println(err)
	// Output:
	// manifest: manifest.yaml:5: routes[0].match: unknown key "paht"
}

// The compiled form the engine reads: the route of a request, its Cedar
// action and the resource for the captured values.
func ExampleManifest_Lookup() {
	m, err := manifest.Load("../testdata/orders.manifest.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, raw := range []string{"/orders/42?expand=items", "/orders/%2e%2e/admin", "/nowhere"} {
		lk := m.Lookup("GET", raw, false, false, nil)
		switch {
		case lk.BadPath != "":
			fmt.Println(raw, "refused:", lk.BadPath)
		case lk.Rule == nil:
			fmt.Println(raw, "no route")
		default:
			fmt.Println(raw, lk.Rule.Name, lk.Rule.CedarAction(), lk.Rule.ResourceFor(lk.Vals))
		}
	}
	// Output:
	// /orders/42?expand=items get-order Action::"ReadOrder" Order::"42"
	// /orders/%2e%2e/admin refused: not_normalized
	// /nowhere no route
}
