package authz

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
)

const (
	testTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	testTraceID     = "4bf92f3577b34da6a3ce929d0e0e4736"
	testParentID    = "00f067aa0ba902b7"
	metaTraceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
)

// TestDecisionLogTrace: the W3C trace context of the request (the
// traceparent header, or for MCP the deciding message's params._meta)
// is on the decision line; anything not strictly W3C is left out.
func TestDecisionLogTrace(t *testing.T) {
	withMeta := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_issues","arguments":{},"_meta":{"traceparent":"` + metaTraceparent + `"}}}`
	tests := []struct {
		name, header, mcpBody string
		trace, parent         string
	}{
		{name: "header", header: testTraceparent, trace: testTraceID, parent: testParentID},
		{name: "no header"},
		{name: "upper-case header ignored", header: "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"},
		{name: "repeated header ignored", header: testTraceparent + "," + testTraceparent},
		{name: "zero trace id ignored", header: "00-00000000000000000000000000000000-00f067aa0ba902b7-01"},
		{name: "mcp _meta", mcpBody: withMeta, trace: "0af7651916cd43dd8448eb211c80319c", parent: "b7ad6b7169203331"},
		{name: "mcp _meta wins over header", header: testTraceparent, mcpBody: withMeta, trace: "0af7651916cd43dd8448eb211c80319c", parent: "b7ad6b7169203331"},
		{name: "mcp without _meta uses header", header: testTraceparent, mcpBody: call(1, "search_issues", `{}`), trace: testTraceID, parent: testParentID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			var e *Engine
			var r *Request
			if tt.mcpBody != "" {
				e, r = newMCPEngine(t, &buf, nil), mcpReq("/mcp", tt.mcpBody)
			} else {
				cfg := testConfig(t, ordersPolicies(t))
				cfg.DecisionLog = slog.New(NewJSONLineHandler(&buf, nil))
				var err error
				if e, err = NewEngine(cfg); err != nil {
					t.Fatal(err)
				}
				r = req(frontend, "GET", "/orders/42")
			}
			if tt.header != "" {
				r.Headers["traceparent"] = tt.header
			}
			e.Check(context.Background(), r)
			var line map[string]any
			if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
				t.Fatalf("%v: %s", err, buf.String())
			}
			trace, hasTrace := line["trace_id"]
			parent, hasParent := line["parent_id"]
			if tt.trace == "" {
				if hasTrace || hasParent {
					t.Fatalf("trace logged for %q: %s", tt.header, buf.String())
				}
				return
			}
			if trace != tt.trace || parent != tt.parent {
				t.Fatalf("trace_id %v parent_id %v, want %s %s: %s", trace, parent, tt.trace, tt.parent, buf.String())
			}
		})
	}
}

func TestDecisionLogSourceAddress(t *testing.T) {
	for _, tt := range []struct{ in, want string }{{"10.0.0.7", "10.0.0.7"}, {"", ""}, {"10.0.0.7:443", ""}, {"<script>", ""}, {"fe80::1%<script>", ""}, {"2001:db8::1", "2001:db8::1"}} {
		var buf bytes.Buffer
		cfg := testConfig(t, ordersPolicies(t))
		cfg.DecisionLog = slog.New(NewJSONLineHandler(&buf, nil))
		e, err := NewEngine(cfg)
		if err != nil {
			t.Fatal(err)
		}
		r := req(frontend, "GET", "/orders/42")
		r.SourceAddress = tt.in
		e.Check(context.Background(), r)
		var line struct {
			Source *string `json:"source_address"`
		}
		if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		if got := line.Source; tt.want == "" && got != nil || tt.want != "" && (got == nil || *got != tt.want) {
			t.Errorf("source %q: logged %v, want %q", tt.in, got, tt.want)
		}
	}
}
