package authzen

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/internal/testca"
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

// FuzzHandler: any body, to either endpoint, through the handler on a
// real engine (quickstart policies): the answer is HTTP 200 with the
// specification's shape or HTTP 400 with a message string; a true decision
// is always a policy permit; nothing is an internal error (a recovered
// panic).
func FuzzHandler(f *testing.F) {
	f.Add([]byte(benchBody), false)
	f.Add([]byte(`{"subject":{"type":"Workload","id":"spiffe://example.org/ns/shop/sa/frontend"},"action":{"name":"ReadOrder"},
	 "evaluations":[{"resource":{"type":"Order","id":"1"},"context":{"risk_score":99}},{"resource":{"type":"Service","id":"orders"}}]}`), true)
	f.Add([]byte(`{"subject":{"type":"Workload","id":"spiffe://example.org/ns/shop/sa/frontend"},"action":{"name":"ReadOrder"},
	 "resource":{"type":"Order","id":"1"},"context":{"source_address":"10.0.0.1","tls":true,"environment":"prod","tenant":["x"]}}`), false)
	ca := testca.New(f, "example.org")
	h, err := NewHandler(benchEngine(f, ca), Options{PDP: "https://pdp.example.org",
		AllowedCallers: []spiffeid.ID{spiffeid.RequireFromString("spiffe://example.org" + pepPath)}})
	if err != nil {
		f.Fatal(err)
	}
	state := &tls.ConnectionState{HandshakeComplete: true, PeerCertificates: ca.NewX509SVID(pepPath).Chain()}
	f.Fuzz(func(t *testing.T, body []byte, batch bool) {
		path := EvaluationPath
		if batch {
			path = EvaluationsPath
		}
		r := httptest.NewRequest("POST", path, bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.TLS = state
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code == http.StatusBadRequest {
			var msg string
			if json.Unmarshal(w.Body.Bytes(), &msg) != nil || msg == "" {
				t.Fatalf("400 without a message string: %s", w.Body)
			}
			return
		}
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		var out []Decision
		var one Decision
		var many Evaluations
		if json.Unmarshal(w.Body.Bytes(), &many) == nil && many.Evaluations != nil {
			out = many.Evaluations
		} else if err := json.Unmarshal(w.Body.Bytes(), &one); err == nil {
			out = []Decision{one}
		} else {
			t.Fatalf("unreadable answer %s", w.Body)
		}
		for _, d := range out {
			if d.Context == nil || d.Context.Code == "internal" {
				t.Fatalf("internal error or no context: %s", w.Body)
			}
			if d.Decision != (d.Context.Code == "permit") {
				t.Fatalf("decision %v with code %s", d.Decision, d.Context.Code)
			}
		}
	})
}
