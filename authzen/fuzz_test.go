package authzen

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParseEvaluations: the body parser never panics; what it accepts is
// JSON encoding/json reads too (no differential on what is a valid body),
// every accepted evaluation has its required strings, and the parsed
// queries survive a round trip: written out as an evaluations array with
// no defaults, they parse back to the same queries.
func FuzzParseEvaluations(f *testing.F) {
	files, _ := filepath.Glob("testdata/spec/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(tollgateShaped))
	f.Add([]byte(`{"subject":{"type":"W","id":"x","type":"y"}}`))
	f.Add([]byte(`{"Subject":{"type":"W","id":"x"},"action":{"name":"a"},"resource":{"type":"t","id":"1"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		single, errSingle := ParseEvaluation(body)
		b, err := ParseEvaluations(body, 8)
		if err != nil {
			if errSingle == nil && len(single.Queries) != 1 {
				t.Fatal("single parse without exactly one query")
			}
			return
		}
		var anyv map[string]any
		if json.Unmarshal(body, &anyv) != nil {
			t.Fatalf("accepted a body encoding/json refuses: %q", body)
		}
		if len(b.Queries) == 0 || len(b.Queries) > 8 {
			t.Fatalf("%d queries", len(b.Queries))
		}
		items := make([]map[string]any, len(b.Queries))
		for i, q := range b.Queries {
			items[i] = map[string]any{
				"subject":  map[string]any{"type": q.Subject.Type, "id": q.Subject.ID, "properties": q.Subject.Properties},
				"action":   map[string]any{"name": q.Action.Name, "properties": q.Action.Properties},
				"resource": map[string]any{"type": q.Resource.Type, "id": q.Resource.ID, "properties": q.Resource.Properties},
				"context":  q.Context,
			}
		}
		out, err := json.Marshal(map[string]any{"evaluations": items, "options": map[string]any{"evaluations_semantic": b.Semantic}})
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseEvaluations(out, 8)
		if err != nil {
			t.Fatalf("round trip refused: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(again.Queries, b.Queries) || again.Semantic != b.Semantic {
			t.Fatalf("round trip changed the queries:\n%+v\n%+v", b.Queries, again.Queries)
		}
	})
}
