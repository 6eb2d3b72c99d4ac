package ocsf

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/authz"
)

// FuzzHandler: whatever a decision record holds (any strings, any outcome,
// attributes of the wrong kind, groups), the handler writes exactly one
// line that is one JSON object and a valid OCSF API Activity event.
func FuzzHandler(f *testing.F) {
	f.Add("allow", "permit", "allowed by policy", "spiffe://example.org/ns/a/sa/b", `Action::"Read"`, `Order::"42"`, "GET", "10.0.0.7", "4bf92f3577b34da6a3ce929d0e0e4736", "p1,p2", uint8(0))
	f.Add("forbidden", "forbid", "denied", "", "", "", "", "", "", "", uint8(255))
	f.Add("unknown", "", "\xff\xfe", "\x00", `::"`, `"::"x"`, "invalid", "fe80::1%eth0", "\u2028", ",", uint8(7))
	f.Fuzz(func(t *testing.T, outcome, code, reason, principal, action, resource, method, source, trace, policies string, odd uint8) {
		attrs := []slog.Attr{
			slog.Int("schema_version", 1),
			slog.String("decision_id", reason+"-1"),
			slog.String("outcome", outcome),
			slog.String("code", code),
			slog.String("reason", reason),
			slog.String("principal", principal),
			slog.String("action", action),
			slog.String("resource", resource),
			slog.String("method", method),
			slog.String("source_address", source),
			slog.String("trace_id", trace),
			slog.Any("policies", strings.Split(policies, ",")),
			slog.String("policy_version", code),
			slog.Group("mcp", slog.String("method", method), slog.Int("element", -1)),
		}
		// Attributes of unexpected kinds and shapes.
		weird := []slog.Attr{
			slog.Int("decision_id", 7),
			slog.String("policies", policies),
			slog.Float64("latency_us", math.NaN()),
			slog.Float64("x", math.Inf(1)),
			slog.Group("", slog.String("outcome", outcome)),
			slog.Any("err", context.Canceled),
			slog.Any("ch", make(chan int)),
			slog.Duration("d", time.Second),
		}
		for i, a := range weird {
			if odd&(1<<i) != 0 {
				attrs = append(attrs, a)
			}
		}
		var buf bytes.Buffer
		h := NewHandler(&buf, nil, Product{Version: method})
		r := slog.NewRecord(time.Unix(0, int64(len(reason))*1e6), slog.LevelInfo, decisionMsg, 0)
		r.AddAttrs(attrs...)
		if err := h.Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		line := buf.Bytes()
		if bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' {
			t.Fatalf("want one line, got %q", line)
		}
		if err := fuzzSchema(t).validate(line); err != nil {
			t.Fatalf("%v\n%s", err, line)
		}
		// unmapped.tollgate is, byte for byte, the JSON decision line.
		var jl bytes.Buffer
		if err := authz.NewJSONLineHandler(&jl, nil).Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		var ev struct {
			Unmapped struct {
				Tollgate json.RawMessage `json:"tollgate"`
			} `json:"unmapped"`
		}
		if err := json.Unmarshal(line, &ev); err != nil || !bytes.Equal(ev.Unmapped.Tollgate, bytes.TrimSuffix(jl.Bytes(), []byte("\n"))) {
			t.Fatalf("unmapped.tollgate (%v):\n%s\nJSON line:\n%s", err, ev.Unmapped.Tollgate, jl.Bytes())
		}
	})
}

var cachedSchema *schema

func fuzzSchema(t *testing.T) *schema {
	if cachedSchema == nil {
		cachedSchema = loadSchema(t)
	}
	cachedSchema.t = t
	return cachedSchema
}

func TestHandlerSkipsOtherMessages(t *testing.T) {
	var buf bytes.Buffer
	slog.New(NewHandler(&buf, nil, Product{})).Info("not a decision", "k", "v")
	if buf.Len() != 0 {
		t.Fatalf("wrote %q", buf.String())
	}
}

func TestHandlerGroupsAndAttrs(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(NewHandler(&buf, nil, Product{})).With("instance", "a").WithGroup("g")
	l.Info(decisionMsg, "outcome", "allow")
	if err := loadSchema(t).validate(buf.Bytes()); err != nil {
		t.Fatalf("%v: %s", err, buf.String())
	}
	// The grouped outcome is not the decision's outcome: a denial stays one.
	if !strings.Contains(buf.String(), `"status_id":2`) || !strings.Contains(buf.String(), `"instance":"a"`) ||
		!strings.Contains(buf.String(), `"g":{"outcome":"allow"}`) {
		t.Fatalf("unexpected event %s", buf.String())
	}
}
