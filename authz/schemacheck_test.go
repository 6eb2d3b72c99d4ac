package authz

import (
	"errors"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go/x/exp/schema"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

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
			m, err := manifest.Parse("m.yaml", []byte(tt.manifest))
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
