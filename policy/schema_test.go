package policy

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// schemaFS returns testdata/schema with some files replaced.
func schemaFS(t *testing.T, replace map[string]string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, name := range []string{"schema.cedarschema", "orders.cedar", "entities.json"} {
		b, err := os.ReadFile("testdata/schema/" + name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	for k, v := range replace {
		if v == "" {
			delete(files, k)
			continue
		}
		files[k] = v
	}
	return files
}

func TestSchemaOK(t *testing.T) {
	s := mustLoadDir(t, "testdata/schema", Options{})
	sch := s.Schema()
	if sch == nil {
		t.Fatal("Schema() = nil")
	}
	a, ok := sch.Actions[uid("Action", "update")]
	if !ok || a.AppliesTo == nil || len(a.AppliesTo.Principals) != 1 || a.AppliesTo.Principals[0] != "User" {
		t.Fatalf("action update = %+v, %v", a, ok)
	}
	if _, ok := a.AppliesTo.Context["risk"]; !ok {
		t.Errorf("context of update lacks risk: %+v", a.AppliesTo.Context)
	}
	// Schema actions join the entity data.
	if _, ok := s.Entity(uid("Action", "read")); !ok {
		t.Error("schema action read not in entity data")
	}
}

func TestSchemaErrors(t *testing.T) {
	tests := []struct {
		name     string
		replace  map[string]string
		sentinel error
		want     []string
	}{
		{"unknown attribute", map[string]string{"extra.cedar": "\n@id(\"bad-attr\")\npermit (principal, action == Action::\"read\", resource)\nwhen { principal.nickname == \"x\" };\n"},
			ErrSchemaInvalid, []string{`extra.cedar:2:1: policy @id("bad-attr"): does not conform to schema`, "nickname"}},
		{"wrong type", map[string]string{"extra.cedar": "@id(\"bad-type\")\npermit (principal, action == Action::\"read\", resource)\nwhen { principal.clearance == \"high\" };\n"},
			ErrSchemaInvalid, []string{`extra.cedar:1:1: policy @id("bad-type"): does not conform to schema`}},
		{"unknown action", map[string]string{"extra.cedar": "@id(\"bad-action\")\npermit (principal, action == Action::\"destroy\", resource);\n"},
			ErrSchemaInvalid, []string{`extra.cedar:1:1: policy @id("bad-action")`, "destroy"}},
		{"bad entity data", map[string]string{"entities.json": "[\n  {\"uid\": {\"type\": \"User\", \"id\": \"x\"}, \"attrs\": {\"clearance\": \"top\"}, \"parents\": []}\n]"},
			ErrSchemaInvalid, []string{`entities.json:2: entity User::"x": does not conform to schema`}},
		{"unknown entity type", map[string]string{"entities.json": "[\n  {\"uid\": {\"type\": \"Robot\", \"id\": \"x\"}, \"attrs\": {}, \"parents\": []}\n]"},
			ErrSchemaInvalid, []string{`entities.json:2: entity Robot::"x"`, "Robot"}},
		{"schema syntax", map[string]string{"schema.cedarschema": "entity User;\nentity Order {\n  owner: User,,\n};\n"},
			ErrSchema, []string{"schema.cedarschema:3:"}},
		{"schema unresolved type", map[string]string{"schema.cedarschema": "entity User;\naction read appliesTo { principal: [User], resource: [Nope] };\n"},
			ErrSchema, []string{"schema.cedarschema: schema error", "Nope"}},
		{"two schemas", map[string]string{"schema.cedarschema.json": "{}"},
			ErrSchema, []string{"keep exactly one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(mapFS(schemaFS(t, tt.replace)), Options{})
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("error %v, want %v", err, tt.sentinel)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestSchemaModes(t *testing.T) {
	files := schemaFS(t, map[string]string{"extra.cedar": "@id(\"bad-action\")\npermit (principal, action == Action::\"destroy\", resource);\n"})
	if _, err := Load(mapFS(files), Options{Schema: SchemaSkip}); err != nil {
		t.Errorf("SchemaSkip: %v", err)
	}
	json := schemaFS(t, map[string]string{"schema.cedarschema": "", "schema.cedarschema.json": `{"": {"entityTypes": {"User": {}}, "actions": {}}}`,
		"orders.cedar": "@id(\"a\") permit (principal, action == Action::\"read\", resource);\n", "entities.json": "[]"})
	if _, err := Load(mapFS(json), Options{}); !errors.Is(err, ErrSchemaInvalid) {
		t.Errorf("JSON schema without action read: %v", err)
	}
}

// Entity data that declares an action without the schema's action group
// must not take it out of a forbid on that group.
func TestSchemaActionGroupsKeptWhenDataDeclaresTheAction(t *testing.T) {
	files := map[string]string{
		"schema.cedarschema": "entity User;\nentity Doc;\n" +
			"action write appliesTo { principal: User, resource: Doc };\n" +
			"action del in [write] appliesTo { principal: User, resource: Doc };\n",
		"p.cedar": "@id(\"all\") permit (principal, action, resource);\n" +
			"@id(\"no-writes\") forbid (principal, action in Action::\"write\", resource);\n",
		"entities.json": `[{"uid": {"type": "Action", "id": "del"}, "attrs": {}, "parents": []}]`,
	}
	s, err := Load(mapFS(files), Options{Schema: SchemaSkip})
	if err != nil {
		t.Fatal(err)
	}
	d := s.Evaluate(req(uid("User", "u"), uid("Action", "del"), uid("Doc", "1"), nil))
	if d.Allow || d.Reason != ReasonForbid {
		t.Fatalf("del (in write by the schema) = %+v, want a forbid", d)
	}
}
