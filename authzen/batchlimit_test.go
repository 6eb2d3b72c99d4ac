package authzen

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// sharedContextBatch is an evaluations body whose top-level context of
// about ctxBytes is inherited by n empty evaluations.
func sharedContextBatch(ctxBytes, n int) []byte {
	var b strings.Builder
	b.WriteString(`{"subject":{"type":"Workload","id":"spiffe://example.org/a"},"action":{"name":"read"},` +
		`"resource":{"type":"R","id":"1"},"context":{"x":[0`)
	for b.Len() < ctxBytes {
		b.WriteString(",0")
	}
	b.WriteString(`]},"evaluations":[{}`)
	b.WriteString(strings.Repeat(`,{}`, n-1))
	b.WriteString(`]}`)
	return []byte(b.String())
}

// TestEvaluationsDefaultsCountTowardBodyLimit: a top-level member each
// evaluation inherits counts once per evaluation, so a batch cannot make
// the PDP decode and evaluate more than a body of max_body_bytes written
// out in full (before: a 900 KB context inherited by 100 evaluations was
// decoded 100 times, 4 GB of allocations for one request).
func TestEvaluationsDefaultsCountTowardBodyLimit(t *testing.T) {
	s := newTestServer(t)
	w := s.do(t, "POST", EvaluationsPath, pepPath, sharedContextBatch(600_000, 100))
	var msg string
	if w.Code != http.StatusBadRequest || json.Unmarshal(w.Body.Bytes(), &msg) != nil || !strings.Contains(msg, "max_body_bytes") {
		t.Fatalf("got %d %.200s", w.Code, w.Body)
	}
	if len(s.eval.asked) != 0 {
		t.Fatalf("%d evaluations run for a refused batch", len(s.eval.asked))
	}
	// A small shared context is what the defaults are for.
	w = s.do(t, "POST", EvaluationsPath, pepPath, sharedContextBatch(1000, 100))
	if w.Code != http.StatusOK || len(s.eval.asked) != 100 {
		t.Fatalf("got %d after %d evaluations: %.200s", w.Code, len(s.eval.asked), w.Body)
	}
}
