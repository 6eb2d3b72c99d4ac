package authz

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestDecisionLog(t *testing.T) {
	const secret = "SECRET-TOKEN-VALUE"
	tests := []struct {
		name    string
		r       *Request
		outcome string
		path    string
	}{
		{"allow with secrets in request", secretRequest(frontend, "/orders/42?token="+secret, secret), "allow", "/orders/42"},
		{"bad path keeps query out", secretRequest(frontend, "/orders%2F42?token="+secret, secret), "bad_request", ""},
		{"unauthenticated", secretRequest("expired", "/orders/42?token="+secret, secret), "unauthenticated", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			cfg := testConfig(t, ordersPolicies(t))
			cfg.DecisionLog = slog.New(slog.NewJSONHandler(&buf, nil))
			cfg.JWTClaims = []string{"sub"}
			cfg.Identifier = fakeIdentifier{claims: map[string]any{"sub": secret}}
			e, err := NewEngine(cfg)
			if err != nil {
				t.Fatal(err)
			}
			d := e.Check(context.Background(), tt.r)
			out := buf.String()
			if strings.Count(out, "\n") != 1 {
				t.Fatalf("want exactly one line, got %q", out)
			}
			for _, leak := range []string{secret, "token=", "Bearer", "session="} {
				if strings.Contains(out, leak) {
					t.Fatalf("log line leaks %q: %s", leak, out)
				}
			}
			var line map[string]any
			if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"decision_id", "outcome", "code", "reason", "principal", "identity_source", "action",
				"resource", "method", "path", "host", "policies", "policy_version", "exceptions", "eval_errors", "latency_us"} {
				if _, ok := line[k]; !ok {
					t.Errorf("missing %q in %s", k, out)
				}
			}
			if line["msg"] != "decision" || line["level"] != "INFO" || line["decision_id"] != d.ID ||
				line["outcome"] != tt.outcome || line["path"] != tt.path {
				t.Errorf("unexpected line %s", out)
			}
		})
	}
}

func secretRequest(principal, path, secret string) *Request {
	r := req(principal, "GET", path)
	r.Headers["authorization"] = "Bearer " + secret
	r.Headers["cookie"] = "session=" + secret
	r.Credentials.Authorization = "Bearer " + secret
	r.Body = []byte(secret)
	return r
}

func TestDecisionLogEvalErrors(t *testing.T) {
	var buf bytes.Buffer
	cfg := testConfig(t, loadPolicies(t, `@id("broken") forbid(principal, action, resource) when { context.nope == 1 };`))
	cfg.DecisionLog = slog.New(slog.NewJSONHandler(&buf, nil))
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.Check(context.Background(), req(frontend, "GET", "/orders/42"))
	var line struct {
		EvalErrors []evalErrorLog `json:"eval_errors"`
	}
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	if len(line.EvalErrors) != 1 || line.EvalErrors[0].Policy != "broken" || !line.EvalErrors[0].Forbid || line.EvalErrors[0].Kind == "" {
		t.Fatalf("eval_errors = %+v", line.EvalErrors)
	}
}

func TestDecisionLogDisabled(t *testing.T) {
	var buf bytes.Buffer
	cfg := testConfig(t, ordersPolicies(t))
	cfg.DecisionLog = slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.Check(context.Background(), req(frontend, "GET", "/orders/42"))
	if buf.Len() != 0 {
		t.Fatalf("logged below level: %s", buf.String())
	}
}

// keepRecords is a slog.Handler that keeps every record it is given, as an
// asynchronous log shipper would.
type keepRecords struct{ recs *[]slog.Record }

func (keepRecords) Enabled(context.Context, slog.Level) bool { return true }
func (h keepRecords) Handle(_ context.Context, r slog.Record) error {
	*h.recs = append(*h.recs, r)
	return nil
}
func (h keepRecords) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h keepRecords) WithGroup(string) slog.Handler      { return h }

// TestDecisionLogRecordsKeepTheirValues: the attribute list of a decision
// line is reused for the next Check, so a handler that keeps a record
// (rather than writing it before it returns) must still read that
// decision's values, not a later one's.
func TestDecisionLogRecordsKeepTheirValues(t *testing.T) {
	var recs []slog.Record
	cfg := testConfig(t, ordersPolicies(t))
	cfg.DecisionLog = slog.New(keepRecords{&recs})
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range []string{"/orders/1", "/orders/2", "/orders/3"} {
		ids = append(ids, e.Check(context.Background(), req(frontend, "GET", p)).ID)
	}
	for i, r := range recs {
		got := map[string]string{}
		r.Attrs(func(a slog.Attr) bool { got[a.Key] = a.Value.String(); return true })
		if want := fmt.Sprintf("/orders/%d", i+1); got["path"] != want || got["decision_id"] != ids[i] {
			t.Errorf("record %d: path %q, decision_id %q; want %q, %q", i, got["path"], got["decision_id"], want, ids[i])
		}
	}
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3", len(recs))
	}
}
