package authz

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go/x/exp/schema"
)

func TestLoadManifests(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	src := write("src/c.yaml", mustRead(t, "testdata/manifests/c.yaml"))
	write("cedar/c.yaml", mustRead(t, "testdata/manifests/c.yaml"))
	write("cedar/grant.cedar", `@id("x") permit (principal, action, resource);`)
	smuggled := write("smuggle.yaml", "service: x\nnotes: |\n  permit (principal, action, resource);\nroutes: []\n")
	tests := []struct {
		name    string
		paths   []string
		wantErr []string
		is      error
	}{
		{"two files merge", []string{"testdata/manifests/a.yaml", filepath.Dir(src)}, nil, nil},
		{"duplicate route across files", []string{"testdata/manifests/a.yaml", "testdata/manifests/b.yaml"},
			[]string{"b.yaml:3", `route "get-order" at testdata/manifests/a.yaml:3`}, ErrInvalidManifest},
		{"cedar file in a manifest source", []string{filepath.Join(dir, "cedar")},
			[]string{"grant.cedar", "manifest sources may only declare"}, ErrGrantInManifest},
		{"policy text in a manifest", []string{smuggled}, []string{"smuggle.yaml:3"}, ErrGrantInManifest},
		{"nothing", nil, []string{"no manifest source"}, ErrInvalidManifest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := LoadManifests(tt.paths...)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if got := m.Actions(); strings.Join(got, ",") != "ReadInvoice,ReadOrder" {
					t.Fatalf("actions %v", got)
				}
				if _, err := m.Match("GET", "/invoices/3", false); err != nil {
					t.Fatalf("merged route not matched: %v", err)
				}
				if r := m.Routes()[1]; r.File != src {
					t.Fatalf("route file %q, want %q", r.File, src)
				}
				return
			}
			if err == nil || !errors.Is(err, tt.is) {
				t.Fatalf("err %v, want %v", err, tt.is)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
		})
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const checkSchema = `
entity Workload; entity Order; entity Service; entity User;
action ReadOrder appliesTo { principal: [Workload], resource: [Order],
  context: { method: String, time: datetime, source_address?: ipaddr, risk?: Long, jwt?: { sub?: String } } };
action UserOnly appliesTo { principal: [User], resource: [Order] };
action NeedsRisk appliesTo { principal: [Workload], resource: [Order], context: { risk: Long } };
action WrongType appliesTo { principal: [Workload], resource: [Order], context: { method: Long, risk?: String } };
action NeedsTenant appliesTo { principal: [Workload], resource: [Order], context: { tenant: String } };
`

func TestCheckManifest(t *testing.T) {
	var s schema.Schema
	if err := s.UnmarshalCedar([]byte(checkSchema)); err != nil {
		t.Fatal(err)
	}
	res, err := s.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	sigs := []Signal{{Name: "risk", From: FromHeader, Key: "x-risk", Type: TypeLong}}
	route := func(action, resType string) string {
		return "routes:\n  - name: r\n    match: { path: /x }\n    action: " + action +
			"\n    resource: { type: " + resType + ", id: x }\n"
	}
	tests := []struct {
		name, manifest string
		want           []string
	}{
		{"fits", route("ReadOrder", "Order"), nil},
		{"unknown action", route("Delete", "Order"), []string{"m.yaml:2", `action Action::"Delete"`, "could never be authorized", "not declared"}},
		{"unknown resource type", route("ReadOrder", "Nope"), []string{"resource type Nope is not declared"}},
		{"resource not applicable", route("ReadOrder", "Service"), []string{"does not apply to resource type Service"}},
		{"principal not Workload", route("UserOnly", "Order"), []string{"does not apply to principal type Workload"}},
		{"signal required", route("NeedsRisk", "Order"), []string{"requires context.risk, which is absent from some requests"}},
		{"type mismatch", route("WrongType", "Order"), []string{"context.method is a String in requests but the schema declares Long",
			"context.risk is a Long in requests but the schema declares String"}},
		{"never provided", route("NeedsTenant", "Order"), []string{"requires context.tenant, which Tollgate never provides"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseManifest("m.yaml", []byte(tt.manifest))
			if err != nil {
				t.Fatal(err)
			}
			err = CheckManifest(m, res, sigs, []string{"sub"})
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrManifestSchema) {
				t.Fatalf("err %v does not wrap ErrManifestSchema", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
		})
	}
}
