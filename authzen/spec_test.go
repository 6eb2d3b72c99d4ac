package authzen

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"testing"

	"github.com/tollgate-authz/tollgate/authz"
)

// TestSpecRequestsParse: the specification's example requests parse, with
// the top-level defaults applied to each evaluation as it says.
func TestSpecRequestsParse(t *testing.T) {
	alice := authz.QueryEntity{Type: "user", ID: "alice@example.com"}
	doc := func(id string) authz.QueryEntity { return authz.QueryEntity{Type: "document", ID: id} }
	read, edit := authz.QueryAction{Name: "can_read"}, authz.QueryAction{Name: "can_edit"}
	ctx := map[string]any{"time": "2024-05-31T15:22-07:00"}
	three := []authz.Query{
		{Subject: alice, Action: read, Resource: doc("boxcarring.md"), Context: ctx},
		{Subject: alice, Action: read, Resource: doc("subject-search.md"), Context: ctx},
		{Subject: alice, Action: read, Resource: doc("resource-search.md"), Context: ctx},
	}
	override := append([]authz.Query(nil), three...)
	override[2].Action = edit
	tests := []struct {
		file   string
		batch  bool
		want   []authz.Query
		single bool
	}{
		{"evaluation-request.json", false, []authz.Query{{Subject: alice,
			Action:   authz.QueryAction{Name: "can_read", Properties: map[string]any{"method": "GET"}},
			Resource: authz.QueryEntity{Type: "account", ID: "123"}, Context: map[string]any{"time": "1985-10-26T01:22-07:00"}}}, true},
		{"https-evaluation-request.json", false, []authz.Query{{Subject: alice, Action: read,
			Resource: authz.QueryEntity{Type: "todo", ID: "1"}, Context: map[string]any{"time": "1985-10-26T01:22-07:00"}}}, true},
		// The evaluations endpoint without evaluations is a single evaluation.
		{"evaluation-request.json", true, nil, true},
		{"evaluations-no-defaults.json", true, three, false},
		{"evaluations-defaults.json", true, three, false},
		{"evaluations-defaults-override.json", true, override, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var b *Batch
			var err error
			if tt.batch {
				b, err = ParseEvaluations(spec(t, tt.file), DefaultMaxEvaluations)
			} else {
				b, err = ParseEvaluation(spec(t, tt.file))
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.Single != tt.single || b.Semantic != ExecuteAll {
				t.Errorf("single %v semantic %q", b.Single, b.Semantic)
			}
			if tt.want != nil && !reflect.DeepEqual(b.Queries, tt.want) {
				t.Errorf("queries\n got %+v\nwant %+v", b.Queries, tt.want)
			}
		})
	}
}

// TestSpecMissingActionIsBadRequest: the options example names no action
// at any level; the specification says a missing required key is a Bad
// Request.
func TestSpecMissingActionIsBadRequest(t *testing.T) {
	_, err := ParseEvaluations(spec(t, "evaluations-options.json"), DefaultMaxEvaluations)
	if !errors.Is(err, ErrBadRequest) {
		t.Fatalf("want ErrBadRequest, got %v", err)
	}
	s := newTestServer(t)
	w := s.do(t, "POST", EvaluationsPath, pepPath, spec(t, "evaluations-options.json"))
	var msg string
	if w.Code != http.StatusBadRequest || json.Unmarshal(w.Body.Bytes(), &msg) != nil || msg != "evaluations[0].action: required" {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
}

// TestSpecSemantics: the specification's three semantics examples, with
// documents 1 and 3 permitted and 2 denied as in its responses, give
// responses with the same decisions, in order, and the same length.
func TestSpecSemantics(t *testing.T) {
	for _, sem := range []string{"execute_all", "deny_on_first_deny", "permit_on_first_permit"} {
		t.Run(sem, func(t *testing.T) {
			s := newTestServer(t, "1", "3")
			w := s.do(t, "POST", EvaluationsPath, pepPath, spec(t, "semantic-"+sem+".json"))
			if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json" {
				t.Fatalf("got %d %q %s", w.Code, w.Header().Get("Content-Type"), w.Body)
			}
			got, want := decisions(t, w.Body.Bytes()), decisions(t, spec(t, "semantic-"+sem+"-response.json"))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decisions %v, want %v (%s)", got, want, w.Body)
			}
			if len(s.eval.asked) != len(want) {
				t.Errorf("%d evaluations run, want %d: a short-circuit must not evaluate the rest", len(s.eval.asked), len(want))
			}
		})
	}
}

func decisions(t *testing.T, body []byte) []bool {
	t.Helper()
	var r struct {
		Evaluations []map[string]json.RawMessage `json:"evaluations"`
		Decision    *bool                        `json:"decision"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if r.Decision != nil {
		t.Fatalf("a batch response carries a top-level decision: %s", body)
	}
	out := []bool{}
	for _, e := range r.Evaluations {
		var d bool
		if err := json.Unmarshal(e["decision"], &d); err != nil {
			t.Fatalf("evaluation without a boolean decision: %s", body)
		}
		out = append(out, d)
	}
	return out
}

// TestSpecResponseShapes: Tollgate's Decision reads the specification's
// example responses, and writes only the members the specification
// defines (decision, context), with its per-evaluation error form.
func TestSpecResponseShapes(t *testing.T) {
	var d Decision
	if err := json.Unmarshal(spec(t, "decision.json"), &d); err != nil || !d.Decision || d.Context != nil {
		t.Fatalf("decision example: %+v %v", d, err)
	}
	var ev Evaluations
	if err := json.Unmarshal(spec(t, "evaluations-response-errors.json"), &ev); err != nil {
		t.Fatal(err)
	}
	if e := ev.Evaluations[1].Context.Error; e == nil || e.Status != 404 || e.Message != "Resource not found" {
		t.Fatalf("error example read as %+v", ev.Evaluations[1].Context)
	}
	out, _ := json.Marshal(decision(&authz.Decision{ID: "x", Outcome: authz.BadRequest, Code: authz.CodeBadQuery, Reason: "r"}))
	var top map[string]any
	if err := json.Unmarshal(out, &top); err != nil {
		t.Fatal(err)
	}
	c, _ := top["context"].(map[string]any)
	if len(top) != 2 || top["decision"] != false || c == nil || c["error"] == nil || c["code"] != authz.CodeBadQuery || c["decision_id"] != "x" {
		t.Errorf("unexpected shape %s", out)
	}
}

// TestSpecMetadata: the metadata has the specification's member names,
// the endpoints under the configured identifier, and nothing this PDP
// does not serve (no search endpoints).
func TestSpecMetadata(t *testing.T) {
	var example map[string]string
	if err := json.Unmarshal(spec(t, "metadata-response.json"), &example); err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t)
	w := s.do(t, "GET", MetadataPath, pepPath, nil)
	var got map[string]string
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &got) != nil {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	want := map[string]string{
		"policy_decision_point":       "https://pdp.example.org",
		"access_evaluation_endpoint":  "https://pdp.example.org/access/v1/evaluation",
		"access_evaluations_endpoint": "https://pdp.example.org/access/v1/evaluations",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("metadata %v, want %v", got, want)
	}
	for _, k := range []string{"policy_decision_point", "access_evaluation_endpoint"} { // REQUIRED in the spec
		if _, ok := example[k]; !ok {
			t.Fatalf("the spec example lacks %s: testdata is wrong", k)
		}
	}
}
