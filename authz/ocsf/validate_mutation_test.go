package ocsf

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

// TestValidatorCatches shows the validator is not vacuous: each mutation of
// a valid event breaks one rule of the published class definition, and
// the validator must name it.
func TestValidatorCatches(t *testing.T) {
	s := loadSchema(t)
	var buf bytes.Buffer
	engine(t, "../testdata/orders.manifest.yaml", loadDir(t, "../testdata/policies"), &buf).
		Check(context.Background(), httpReq(frontend, "/orders/42"))
	if err := s.validate(buf.Bytes()); err != nil {
		t.Fatalf("baseline invalid: %v", err)
	}
	tests := []struct {
		name   string
		mutate func(ev map[string]any)
	}{
		{"missing required actor", func(ev map[string]any) { delete(ev, "actor") }},
		{"missing required api.operation", func(ev map[string]any) { ev["api"] = map[string]any{} }},
		{"missing required metadata.version", func(ev map[string]any) { delete(ev["metadata"].(map[string]any), "version") }},
		{"missing required time", func(ev map[string]any) { delete(ev, "time") }},
		{"severity_id not in enum", func(ev map[string]any) { ev["severity_id"] = 7 }},
		{"status_id not in enum", func(ev map[string]any) { ev["status_id"] = 3 }},
		{"disposition_id not in enum", func(ev map[string]any) { ev["disposition_id"] = 28 }},
		{"user.type_id not in enum", func(ev map[string]any) {
			ev["actor"].(map[string]any)["user"].(map[string]any)["type_id"] = 5
		}},
		{"activity_id not in enum", func(ev map[string]any) { ev["activity_id"], ev["type_uid"] = 5, 600305 }},
		{"status_id a string", func(ev map[string]any) { ev["status_id"] = "1" }},
		{"time a string", func(ev map[string]any) { ev["time"] = "2026-01-01T00:00:00Z" }},
		{"time fractional", func(ev map[string]any) { ev["time"] = 1.5 }},
		{"integer out of int range", func(ev map[string]any) { ev["severity_id"] = 1 << 40 }},
		{"ip not an address", func(ev map[string]any) { ev["src_endpoint"].(map[string]any)["ip"] = "example.org" }},
		{"resources not an array", func(ev map[string]any) { ev["resources"] = map[string]any{"uid": "x"} }},
		{"unknown attribute", func(ev map[string]any) { ev["decision"] = "allow" }},
		{"unknown object attribute", func(ev map[string]any) { ev["api"].(map[string]any)["method"] = "GET" }},
		{"actor with none of its at_least_one", func(ev map[string]any) { ev["actor"] = map[string]any{} }},
		{"src_endpoint with none of its at_least_one", func(ev map[string]any) { ev["src_endpoint"] = map[string]any{} }},
		{"wrong class_uid", func(ev map[string]any) { ev["class_uid"], ev["type_uid"] = 3003, 300399 }},
		{"wrong category_uid", func(ev map[string]any) { ev["category_uid"] = 3 }},
		{"type_uid not class*100+activity", func(ev map[string]any) { ev["type_uid"] = 600301 }},
		{"status caption disagrees", func(ev map[string]any) { ev["status"] = "Failure" }},
		{"unmapped not an object", func(ev map[string]any) { ev["unmapped"] = "x" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev map[string]any
			if err := json.Unmarshal(buf.Bytes(), &ev); err != nil {
				t.Fatal(err)
			}
			tt.mutate(ev)
			b, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			err = s.validate(b)
			if err == nil {
				t.Fatalf("validator accepted %s", b)
			}
			t.Log(err)
		})
	}
}
