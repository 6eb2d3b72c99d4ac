package manifest

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoadManifest(t *testing.T) {
	m, err := Load("../testdata/orders.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if m.Service() != "orders" || m.File() != "orders.manifest.yaml" {
		t.Errorf("service %q file %q", m.Service(), m.File())
	}
	wantActions := []string{"Admin", "ExportOrders", "ListOrders", "Orders::Action::\"call\"", "ReadOrder", "ReadStatic", "UpdateOrder"}
	if got := m.Actions(); !slices.Equal(got, wantActions) {
		t.Errorf("Actions() = %q, want %q", got, wantActions)
	}
	if !m.HasAction("ReadOrder") || m.HasAction("DeleteOrder") {
		t.Error("HasAction")
	}
	routes := m.Routes()
	if len(routes) != 8 || routes[0].Name != "get-order" || routes[0].Line != 5 || !slices.Equal(routes[0].Methods, []string{"GET", "HEAD"}) {
		t.Errorf("routes[0] = %+v", routes[0])
	}
	if routes[6].Name != "grpc /acme.orders.v1.Orders/GetOrder" || routes[5].Name != "admin" || routes[5].Methods != nil {
		t.Errorf("default names: %q %q", routes[6].Name, routes[5].Name)
	}
	routes[0].Methods[0] = "DELETE"
	if m.Routes()[0].Methods[0] != "GET" {
		t.Error("Routes() must return a copy")
	}
}

func TestLoadManifestMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v", err)
	}
}

const goodRoute = `
  - match: {method: GET, path: '/orders/{id}'}
    action: ReadOrder
    resource: {type: Order, id: "{id}"}
`

func TestParseManifestErrors(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		want  string // substring of the error
		grant bool
	}{
		{"unknown key", "routes:\n  - match:\n      method: GET\n      paht: /x\n    action: A\n    resource: {type: T, id: x}\n",
			`m.yaml:4: routes[0].match: unknown key "paht"`, false},
		{"unknown root key", "servce: x\nroutes:" + goodRoute, `m.yaml:1: unknown key "servce"`, false},
		{"wrong type", "routes:\n  - match: {method: GET, path: /x}\n    action: [A]\n    resource: {type: T, id: x}\n",
			`m.yaml:3: routes[0].action: expected a string, got a list`, false},
		{"number not string", "routes:\n  - match: {method: GET, path: /x}\n    action: A\n    resource: {type: T, id: 42}\n",
			`m.yaml:4: routes[0].resource.id: expected a string, got !!int (quote the value)`, false},
		{"routes not list", "routes: {}\n", `m.yaml:1: routes: expected a non-empty list of routes`, false},
		{"no routes", "service: x\n", `missing key "routes"`, false},
		{"duplicate key", "routes:" + goodRoute + "routes:" + goodRoute, `duplicate key "routes"`, false},
		{"empty action", "routes:\n  - match: {method: GET, path: /x}\n    action: \"\"\n    resource: {type: T, id: x}\n",
			`m.yaml:3: routes[0].action: must not be empty`, false},
		{"missing action", "routes:\n  - match: {method: GET, path: /x}\n    resource: {type: T, id: x}\n",
			`m.yaml:2: routes[0]: missing key "action"`, false},
		{"bad action uid", "routes:\n  - match: {path: /x}\n    action: 'Orders::Action::read'\n    resource: {type: T, id: x}\n",
			`routes[0].action: "Orders::Action::read" is not a Cedar entity UID`, false},
		{"bad resource type", "routes:\n  - match: {path: /x}\n    action: A\n    resource: {type: 'Or der', id: x}\n",
			`m.yaml:4: routes[0].resource.type: "Or der" is not a Cedar entity type`, false},
		{"bad template", "routes:\n  - match:\n      path: /orders/{id...}/x\n    action: A\n    resource: {type: T, id: x}\n",
			`m.yaml:3: routes[0].match.path: bad template "/orders/{id...}/x": segment 2 "{id...}": {name...} is only allowed as the last segment`, false},
		{"partial capture", "routes:\n  - match: {path: '/f/{name}.json'}\n    action: A\n    resource: {type: T, id: x}\n",
			`a capture must be a whole segment`, false},
		{"trailing slash template", "routes:\n  - match: {path: /x/}\n    action: A\n    resource: {type: T, id: x}\n", `empty segment`, false},
		{"undefined capture", "routes:\n  - match: {path: '/orders/{id}'}\n    action: A\n    resource:\n      type: T\n      id: 'order-{oid}'\n",
			`m.yaml:6: routes[0].resource.id: bad template "order-{oid}": {oid} is not a capture of the route (captures: id)`, false},
		{"both path and grpc", "routes:\n  - match:\n      path: /x\n      grpc: /a.B/C\n    action: A\n    resource: {type: T, id: x}\n",
			`m.yaml:4: routes[0].match: use either path or grpc, not both`, false},
		{"neither path nor grpc", "routes:\n  - match: {method: GET}\n    action: A\n    resource: {type: T, id: x}\n",
			`missing key "path" or "grpc"`, false},
		{"bad grpc", "routes:\n  - match: {grpc: /a.B}\n    action: A\n    resource: {type: T, id: x}\n", `routes[0].match.grpc: "/a.B"`, false},
		{"grpc with method", "routes:\n  - match: {grpc: /a.B/C, method: GET}\n    action: A\n    resource: {type: T, id: x}\n", `grpc route matches POST only`, false},
		{"lowercase method", "routes:\n  - match: {method: get, path: /x}\n    action: A\n    resource: {type: T, id: x}\n", `methods are case sensitive`, false},
		{"method and methods", "routes:\n  - match: {method: GET, methods: [PUT], path: /x}\n    action: A\n    resource: {type: T, id: x}\n", `either method or methods`, false},
		{"duplicate route", "routes:" + goodRoute + strings.ReplaceAll(goodRoute, "{id}", "{oid}"),
			`m.yaml:6: routes[1]: route "GET /orders/{oid}" matches the same requests as route "GET /orders/{id}" on line 2`, false},
		{"two any-method routes", "routes:\n  - match: {path: '/o/{x}'}\n    action: A\n    resource: {type: T, id: x}\n  - match: {path: '/o/{y}'}\n    action: A\n    resource: {type: T, id: x}\n",
			`matches the same requests`, false},
		{"duplicate name", "routes:\n  - name: a\n    match: {path: /x}\n    action: A\n    resource: {type: T, id: x}\n  - name: a\n    match: {path: /y}\n    action: A\n    resource: {type: T, id: x}\n",
			`m.yaml:6: routes[1]: duplicate route name "a" (first used on line 2)`, false},
		{"alias", "x: &a 1\nroutes:" + goodRoute, `unknown key "x"`, false},
		{"alias use", "routes:\n  - &r\n    match: {path: /x}\n    action: A\n    resource: {type: T, id: x}\n  - *r\n", `anchors and aliases are not supported`, false},
		{"two documents", "routes:" + goodRoute + "---\nroutes:" + goodRoute, `expected one YAML document`, false},
		{"empty file", "", `empty manifest`, false},
		{"scalar", "hello\n", `expected a mapping with a routes list, got !!str`, false},
		{"invalid yaml", "routes:\n  - match: {path: /a/{x}}\n", `m.yaml:1: invalid YAML: did not find expected ',' or '}'`, false},
		{"permit key", "routes:" + goodRoute + "permit:\n  - principal: x\n",
			`m.yaml:5: manifests declare actions and resources; they cannot grant access: key "permit" is not allowed`, true},
		{"nested principal", "routes:\n  - match: {path: /x}\n    action: A\n    principal: Workload::\"x\"\n    resource: {type: T, id: x}\n",
			`m.yaml:4: routes[0]: manifests declare actions and resources; they cannot grant access: key "principal" is not allowed`, true},
		{"when key", "routes:\n  - match: {path: /x}\n    action: A\n    resource: {type: T, id: x, when: 'true'}\n", `key "when" is not allowed`, true},
		{"Policies key any case", "Policies: []\nroutes:" + goodRoute, `key "Policies" is not allowed`, true},
		{"cedar text", "@id(\"x\")\npermit (principal, action, resource);\n", `m.yaml:1: this looks like Cedar policy text`, true},
		{"cedar text no annotation", "// hi\npermit(principal, action, resource);\n", `m.yaml:2: this looks like Cedar policy text`, true},
		{"cedar forbid", "forbid (principal, action, resource)\nunless { false };\n", `Cedar policy text`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse("m.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("accepted: %+v", m.Routes())
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant substring %q", err, tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Error("not ErrInvalid")
			}
			if errors.Is(err, ErrGrant) != tt.grant {
				t.Errorf("errors.Is(ErrGrant) = %v, want %v", !tt.grant, tt.grant)
			}
		})
	}
}

func TestParseManifestAccepts(t *testing.T) {
	tests := []struct{ name, yaml string }{
		{"minimal", "routes:" + goodRoute},
		{"same path different methods", "routes:" + goodRoute + strings.Replace(goodRoute, "GET", "PUT", 1)},
		{"specific and any method", "routes:" + goodRoute + "  - match: {path: '/orders/{x}', methods: [PUT, DELETE]}\n    action: A\n    resource: {type: T, id: x}\n"},
		{"specific beats any method", "routes:" + goodRoute + "  - match: {path: '/orders/{x}'}\n    action: A\n    resource: {type: T, id: x}\n"},
		{"root path", "routes:\n  - match: {path: /}\n    action: A\n    resource: {type: T, id: root}\n"},
		{"literal id", "routes:\n  - match: {path: '/a/{x}'}\n    action: A\n    resource: {type: Acme::T, id: 'fixed'}\n"},
		{"permit as a value is fine", "service: permit\nroutes:" + goodRoute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse("m.yaml", []byte(tt.yaml)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestPathCaseKeyValidated(t *testing.T) {
	for _, tt := range []struct{ doc, want string }{
		{"path_case: Insensitive\n", `tricks.yaml:1: path_case: must be "sensitive" or "insensitive"`},
		{"path_case: [x]\n", "tricks.yaml:1: path_case: expected a string"},
		{"path_case: insensitive\nroutes:\n  - match: {path: /Admin}\n    action: A\n    resource: {type: T, id: a}\n" +
			"  - match: {path: /admin}\n    action: A\n    resource: {type: T, id: a}\n", "tricks.yaml:6"},
	} {
		doc := tt.doc
		if !strings.Contains(doc, "routes:") {
			doc += trickManifest
		}
		_, err := Parse("tricks.yaml", []byte(doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.doc, err, tt.want)
		}
	}
}
