package authz

import (
	"bytes"
	"context"
	"github.com/tollgate-authz/tollgate/internal/jsonw"
	"log/slog"
	"regexp"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

var lineTime = regexp.MustCompile(`^\{"time":"[^"]+",`)

// TestJSONLineHandlerLogAttrs: the handler's own LogAttrs writes the line
// slog.Logger.LogAttrs writes through it, time aside, with and without
// WithAttrs/WithGroup, empty groups and levels below the handler's.
func TestJSONLineHandlerLogAttrs(t *testing.T) {
	attrs := []slog.Attr{
		slog.Int("schema_version", 1), slog.String("q", "a\"b\\\n\xff"),
		slog.Group("empty"), slog.Group("", slog.String("inline", "x")),
		slog.Group("mcp", slog.String("tool", "t"), slog.Int("element", -1)),
		slog.Any("policies", []string{"p1"}), slog.Any("eval_errors", []evalErrorLog{}),
		slog.Any("context", cedarJSON{rec: types.NewRecord(types.RecordMap{"path": types.String("/x")})}),
		slog.Bool("b", true), slog.String("", "dropped"),
	}
	for name, wrap := range map[string]func(slog.Handler) slog.Handler{
		"plain": func(h slog.Handler) slog.Handler { return h },
		"with attrs": func(h slog.Handler) slog.Handler {
			return h.WithAttrs([]slog.Attr{slog.String("svc", "s")}).WithGroup("g")
		},
	} {
		for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug, slog.LevelWarn} {
			var viaSlog, direct bytes.Buffer
			slog.New(wrap(jsonw.NewHandler(&viaSlog, nil))).LogAttrs(context.Background(), level, "decision", attrs...)
			h := wrap(jsonw.NewHandler(&direct, nil)).(*jsonw.Handler)
			if err := h.LogAttrs(level, "decision", attrs...); err != nil {
				t.Fatal(err)
			}
			got := lineTime.ReplaceAll(direct.Bytes(), []byte("{"))
			want := lineTime.ReplaceAll(viaSlog.Bytes(), []byte("{"))
			if !bytes.Equal(got, want) {
				t.Errorf("%s, %v:\n got %s\nwant %s", name, level, got, want)
			}
			if level >= slog.LevelInfo && !lineTime.Match(direct.Bytes()) {
				t.Errorf("%s: no time: %s", name, direct.Bytes())
			}
		}
	}
}
