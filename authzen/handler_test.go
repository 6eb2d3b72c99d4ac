package authzen

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

const tollgateShaped = `{"subject":{"type":"Workload","id":"spiffe://example.org/ns/shop/sa/frontend"},
 "action":{"name":"ReadOrder"},"resource":{"type":"Order","id":"42"},"context":{"method":"GET"}}`

// TestHandlerRefusals: every request that is not a well-formed question
// from an allowed enforcement point is refused with the specification's
// error form (a status and a message string) and never reaches the
// evaluator.
func TestHandlerRefusals(t *testing.T) {
	tests := []struct {
		name, method, target, caller, body string
		ctype                              string
		status                             int
		msg                                string
	}{
		{"no client certificate", "POST", EvaluationPath, "", tollgateShaped, "", 401, "X.509-SVID client certificate is required"},
		{"unlisted enforcement point", "POST", EvaluationPath, "/intruder", tollgateShaped, "", 403, "spiffe://example.org/intruder is not in authzen.allowed_callers"},
		{"unlisted asks for metadata", "GET", MetadataPath, "/intruder", "", "", 403, "not in authzen.allowed_callers"},
		{"wrong method", "GET", EvaluationPath, pepPath, "", "", 405, "use POST"},
		{"unknown path", "POST", "/access/v1/search/subject", pepPath, tollgateShaped, "", 404, "not an AuthZEN endpoint"},
		{"wrong content type", "POST", EvaluationPath, pepPath, tollgateShaped, "text/plain", 400, "Content-Type must be application/json"},
		{"not JSON", "POST", EvaluationPath, pepPath, `{"subject":`, "", 400, "not JSON"},
		{"array body", "POST", EvaluationPath, pepPath, `[]`, "", 400, "must be a JSON object"},
		{"trailing data", "POST", EvaluationPath, pepPath, tollgateShaped + `{}`, "", 400, "after top-level value"},
		{"duplicate member", "POST", EvaluationPath, pepPath, `{"subject":{"type":"Workload","type":"x","id":"a"}}`, "", 400, `member "type" appears twice`},
		{"duplicate member after unescaping", "POST", EvaluationPath, pepPath, `{"subject":{"type":"W","id":"a"},"sub\u006aect":{"type":"W","id":"b"}}`, "", 400, `member "subject" appears twice`},
		{"duplicate in an array element", "POST", EvaluationsPath, pepPath, `{"evaluations":[{"context":{"a":1,"a":2}}]}`, "", 400, `member "a" appears twice`},
		{"over the body limit", "POST", EvaluationPath, pepPath, `{"context":{"x":"` + strings.Repeat("a", DefaultMaxBodyBytes) + `"}}`, "", 400, "larger than the limit"},
		{"no content type", "POST", EvaluationPath, pepPath, tollgateShaped, "none", 400, "Content-Type must be application/json"},
		{"case-variant member is not the member", "POST", EvaluationPath, pepPath, `{"Subject":{"type":"W","id":"x"},"action":{"name":"a"},"resource":{"type":"t","id":"1"}}`, "", 400, "subject: required"},
		{"invalid UTF-8", "POST", EvaluationPath, pepPath, "{\"subject\":\"\xff\"}", "", 400, "not valid UTF-8"},
		{"too deep", "POST", EvaluationPath, pepPath, `{"context":` + strings.Repeat(`[`, 40) + strings.Repeat(`]`, 40) + `}`, "", 400, "nests more than"},
		{"missing subject", "POST", EvaluationPath, pepPath, `{"action":{"name":"a"},"resource":{"type":"t","id":"1"}}`, "", 400, "subject: required"},
		{"null subject is missing", "POST", EvaluationPath, pepPath, `{"subject":null,"action":{"name":"a"},"resource":{"type":"t","id":"1"}}`, "", 400, "subject: required"},
		{"subject id not a string", "POST", EvaluationPath, pepPath, `{"subject":{"type":"Workload","id":7},"action":{"name":"a"},"resource":{"type":"t","id":"1"}}`, "", 400, "subject.id: must be a string"},
		{"properties not an object", "POST", EvaluationPath, pepPath, `{"subject":{"type":"W","id":"x","properties":[]},"action":{"name":"a"},"resource":{"type":"t","id":"1"}}`, "", 400, "subject.properties: must be an object"},
		{"context not an object", "POST", EvaluationPath, pepPath, `{"subject":{"type":"W","id":"x"},"action":{"name":"a"},"resource":{"type":"t","id":"1"},"context":"x"}`, "", 400, "context: must be an object"},
		{"unknown semantic", "POST", EvaluationsPath, pepPath, `{"options":{"evaluations_semantic":"first"},"evaluations":[]}`, "", 400, "options.evaluations_semantic"},
		{"evaluations not an array", "POST", EvaluationsPath, pepPath, `{"evaluations":{}}`, "", 400, "evaluations: must be an array"},
		{"evaluation not an object", "POST", EvaluationsPath, pepPath, `{"evaluations":[1]}`, "", 400, "evaluations[0]: must be an object"},
		{"too many evaluations", "POST", EvaluationsPath, pepPath, `{"evaluations":[` + strings.Repeat(`{},`, DefaultMaxEvaluations) + `{}]}`, "", 400, "more than the 100"},
		{"missing in an element and at the top", "POST", EvaluationsPath, pepPath, `{"subject":{"type":"W","id":"x"},"action":{"name":"a"},"evaluations":[{"resource":{"type":"t","id":"1"}},{}]}`, "", 400, "evaluations[1].resource: required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, "42")
			w := s.doType(t, tt.method, tt.target, tt.caller, []byte(tt.body), tt.ctype)
			var msg string
			if err := json.Unmarshal(w.Body.Bytes(), &msg); err != nil {
				t.Fatalf("error body is not a JSON string: %s", w.Body)
			}
			if w.Code != tt.status || !strings.Contains(msg, tt.msg) {
				t.Fatalf("got %d %q, want %d ~%q", w.Code, msg, tt.status, tt.msg)
			}
			if len(s.eval.asked) != 0 {
				t.Fatalf("a refused request reached the evaluator: %+v", s.eval.asked)
			}
		})
	}
}

// TestHandlerDecides: an allowed enforcement point's question reaches the
// evaluator with its verified SPIFFE ID as Caller, and the answer is the
// specification's Decision with Tollgate's context; X-Request-ID is echoed.
func TestHandlerDecides(t *testing.T) {
	s := newTestServer(t, "42")
	w := s.doType(t, "POST", EvaluationPath, pepPath, []byte(tollgateShaped), "application/json; charset=utf-8", "X-Request-ID", "bfe9eb29")
	if w.Code != http.StatusOK || w.Header().Get("X-Request-ID") != "bfe9eb29" {
		t.Fatalf("got %d %v %s", w.Code, w.Header(), w.Body)
	}
	var d Decision
	if err := json.Unmarshal(w.Body.Bytes(), &d); err != nil || !d.Decision || d.Context.ID != "d-42" || d.Context.Code != "permit" ||
		strings.Join(d.Context.Policies, ",") != "p1" || d.Context.Error != nil {
		t.Fatalf("decision %s (%v)", w.Body, err)
	}
	if len(s.eval.asked) != 1 || s.eval.asked[0].Caller != spiffeid.RequireFromString("spiffe://example.org"+pepPath) ||
		s.eval.asked[0].Context["method"] != "GET" {
		t.Fatalf("asked %+v", s.eval.asked)
	}
	w = s.do(t, "POST", EvaluationsPath, pepPath, []byte(`{"subject":{"type":"Workload","id":"spiffe://example.org/a"},"action":{"name":"ReadOrder"},
	  "evaluations":[{"resource":{"type":"Order","id":"41"}},{"resource":{"type":"Order","id":"42"}}]}`))
	if got := decisions(t, w.Body.Bytes()); len(got) != 2 || got[0] || !got[1] {
		t.Fatalf("batch %s", w.Body)
	}
}

func TestNewHandlerConfig(t *testing.T) {
	ok := []spiffeid.ID{spiffeid.RequireFromString("spiffe://example.org/pep")}
	for _, o := range []Options{
		{PDP: "http://pdp.example.org", AllowedCallers: ok},
		{PDP: "https://pdp.example.org?x=1", AllowedCallers: ok},
		{PDP: "https://pdp.example.org#f", AllowedCallers: ok},
		{PDP: "https:///nohost", AllowedCallers: ok},
		{PDP: "https://pdp.example.org"},
	} {
		if _, err := NewHandler(&fakeEvaluator{}, o); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: want ErrConfig, got %v", o, err)
		}
	}
	if _, err := NewHandler(nil, Options{PDP: "https://pdp.example.org", AllowedCallers: ok}); !errors.Is(err, ErrConfig) {
		t.Errorf("nil evaluator: %v", err)
	}
}
