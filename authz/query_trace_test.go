package authz

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
)

// TestEvaluateTraceparent: the enforcement point's traceparent header
// reaches the decision line as trace_id and parent_id, by the Envoy door's
// rule (strict version 00, else left out).
func TestEvaluateTraceparent(t *testing.T) {
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	tests := []struct {
		name, header  string
		trace, parent any
	}{
		{"valid", tp, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"},
		{"absent", "", nil, nil},
		{"upper case", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", nil, nil},
		{"repeated header", tp + "," + tp, nil, nil},
		{"other version", "01" + tp[2:], nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			cfg := testConfig(t, ordersPolicies(t))
			cfg.DecisionLog = slog.New(slog.NewJSONHandler(&buf, nil))
			e, err := NewEngine(cfg)
			if err != nil {
				t.Fatal(err)
			}
			q := query(frontend, "ReadOrder", "Order", "42")
			q.TraceParent = tt.header
			e.Evaluate(context.Background(), q)
			var line map[string]any
			if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
				t.Fatal(err)
			}
			if line["trace_id"] != tt.trace || line["parent_id"] != tt.parent {
				t.Fatalf("trace_id %v parent_id %v, want %v %v", line["trace_id"], line["parent_id"], tt.trace, tt.parent)
			}
		})
	}
}
