package jsonw

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

type testErr struct {
	Policy string `json:"policy"`
	Forbid bool   `json:"forbid"`
	Kind   string `json:"kind"`
}

// rawJSON is an Appender; as a json.Marshaler it gives slog.JSONHandler
// the same bytes.
type rawJSON string

func (r rawJSON) AppendJSON(b []byte) []byte   { return append(b, r...) }
func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

// TestHandlerMatchesSlog: every line parses as JSON and carries the
// same fields and values as slog.JSONHandler's line for the same record.
func TestHandlerMatchesSlog(t *testing.T) {
	when := time.Date(2026, 11, 28, 12, 0, 0, 123, time.UTC)
	cases := map[string][]slog.Attr{
		"strings":  {slog.String("a", "plain"), slog.String("q", `quote " back \ slash`), slog.String("ctl", "nl\n tab\t nul\x00 bell\x07")},
		"unicode":  {slog.String("u", "héllo ☃ \u2028 \u2029"), slog.String("bad", "bad\xffutf8")},
		"numbers":  {slog.Int64("i", -42), slog.Uint64("u", 7), slog.Bool("b", true), slog.Float64("f", 1.5), slog.Duration("d", time.Second)},
		"lists":    {slog.Any("policies", []string{"p1", "p\"2"}), slog.Any("empty", []string{}), slog.Any("errs", []testErr{})},
		"structs":  {slog.Any("errs", []testErr{{Policy: "p", Forbid: true, Kind: "type_error"}})},
		"appender": {slog.Any("raw", rawJSON(`{"a":[1,"x"]}`)), slog.Any("none", rawJSON(`[]`))},
		"group":    {slog.Group("mcp", slog.String("tool", "x"), slog.Int("n", 2)), slog.String("after", "y")},
		"time":     {slog.Time("at", when)},
		"error":    {slog.Any("err", errors.New("oops"))},
	}
	for name, attrs := range cases {
		t.Run(name, func(t *testing.T) {
			var fast, std bytes.Buffer
			log := func(h slog.Handler) {
				r := slog.NewRecord(when, slog.LevelInfo, "decision", 0)
				r.AddAttrs(attrs...)
				if err := h.Handle(context.Background(), r); err != nil {
					t.Fatal(err)
				}
			}
			log(NewHandler(&fast, nil))
			log(slog.NewJSONHandler(&std, nil))
			var got, want map[string]any
			if err := json.Unmarshal(fast.Bytes(), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, fast.String())
			}
			_ = json.Unmarshal(std.Bytes(), &want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %s\nwant %s", fast.String(), std.String())
			}
			if !strings.HasSuffix(fast.String(), "}\n") || strings.Count(fast.String(), "\n") != 1 {
				t.Errorf("not exactly one line: %q", fast.String())
			}
		})
	}
}

func TestHandlerWithAttrsAndGroups(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(NewHandler(&buf, slog.LevelInfo)).With("svc", "orders").WithGroup("req")
	l.Debug("dropped")
	l.Info("hello", "path", "/x")
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, buf.String())
	}
	if got["svc"] != "orders" || got["req"].(map[string]any)["path"] != "/x" || strings.Contains(buf.String(), "dropped") {
		t.Errorf("line = %s", buf.String())
	}
}

// Concurrent lines never interleave.
func TestHandlerConcurrent(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(NewHandler(&buf, nil))
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				l.Info("decision", "policies", []string{"a", "b"}, "n", j)
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 1600 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, ln := range lines {
		if !json.Valid([]byte(ln)) {
			t.Fatalf("interleaved or invalid line %q", ln)
		}
	}
}
