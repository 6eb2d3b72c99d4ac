package jsonw

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Handler is a slog.Handler that writes one JSON object per record,
// in the same shape as slog.JSONHandler (time, level, msg, then the
// attributes), with a fast path for the attribute kinds the decision log
// uses. A decision line is built in a pooled buffer and written with one
// Write call, so lines from concurrent Checks never interleave.
type Handler struct {
	w      *lockedWriter
	level  slog.Leveler
	prefix []byte // pre-rendered attributes from WithAttrs/WithGroup
	open   int    // groups opened in prefix
}

// lockedWriter is shared by a handler and the copies WithAttrs and
// WithGroup make: one lock and one buffer pool per destination.
type lockedWriter struct {
	mu    sync.Mutex
	w     io.Writer
	lines sync.Pool // *[]byte line buffers
}

var _ slog.Handler = (*Handler)(nil)

// NewHandler writes records at or above level (nil: Info) to w.
func NewHandler(w io.Writer, level slog.Leveler) *Handler {
	if level == nil {
		level = slog.LevelInfo
	}
	lw := &lockedWriter{w: w}
	lw.lines.New = func() any { b := make([]byte, 0, 1024); return &b }
	return &Handler{w: lw, level: level}
}

// Enabled reports whether l is at or above the handler's level.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= h.level.Level()
}

// Handle writes r as one JSON line.
func (h *Handler) Handle(_ context.Context, r slog.Record) error {
	return h.write(r.Time, r.Level, r.Message, r.Attrs)
}

// LogAttrs writes the line slog.Logger.LogAttrs would hand Handle, stamped
// now, without building a slog.Record: the Record copies every attribute
// and records the caller's program counter, which this handler never
// writes (authz's TestJSONLineHandlerLogAttrs holds the two lines equal).
func (h *Handler) LogAttrs(level slog.Level, msg string, attrs ...slog.Attr) error {
	if !h.Enabled(context.Background(), level) {
		return nil
	}
	return h.write(time.Now(), level, msg, slices.Values(attrs))
}

func (h *Handler) write(t time.Time, level slog.Level, msg string, attrs func(func(slog.Attr) bool)) error {
	bp := h.w.lines.Get().(*[]byte)
	b := append((*bp)[:0], '{')
	if !t.IsZero() {
		b = append(b, `"time":"`...)
		b = t.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `",`...)
	}
	b = append(b, `"level":`...)
	b = AppendString(b, level.String())
	b = append(b, `,"msg":`...)
	b = AppendString(b, msg)
	b = append(b, h.prefix...)
	attrs(func(a slog.Attr) bool {
		b = appendAttr(b, a)
		return true
	})
	for i := 0; i < h.open; i++ {
		b = append(b, '}')
	}
	b = append(b, '}', '\n')
	h.w.mu.Lock()
	_, err := h.w.w.Write(b)
	h.w.mu.Unlock()
	*bp = b
	h.w.lines.Put(bp)
	return err
}

// WithAttrs returns a handler that adds attrs to every record.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.prefix = append([]byte(nil), h.prefix...)
	for _, a := range attrs {
		c.prefix = appendAttr(c.prefix, a)
	}
	return &c
}

// WithGroup returns a handler that nests later attributes under name.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.prefix = append(AppendString(append(append([]byte(nil), h.prefix...), ','), name), `:{`...)
	c.open++
	return &c
}

// appendAttr appends `,"key":value` (no comma right after an opening brace).
func appendAttr(b []byte, a slog.Attr) []byte {
	v := a.Value.Resolve()
	if a.Key == "" && v.Kind() != slog.KindGroup {
		return b
	}
	if v.Kind() == slog.KindGroup {
		return appendGroup(b, a.Key, v.Group())
	}
	if len(b) == 0 || b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = AppendString(b, a.Key)
	b = append(b, ':')
	return appendValue(b, v)
}

func appendGroup(b []byte, key string, attrs []slog.Attr) []byte {
	if len(attrs) == 0 {
		return b
	}
	if key == "" { // inline, as slog does
		for _, a := range attrs {
			b = appendAttr(b, a)
		}
		return b
	}
	if len(b) == 0 || b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = append(AppendString(b, key), ':', '{')
	for _, a := range attrs {
		b = appendAttr(b, a)
	}
	return append(b, '}')
}

func appendValue(b []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindString:
		return AppendString(b, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool())
	case slog.KindDuration:
		return strconv.AppendInt(b, int64(v.Duration()), 10)
	case slog.KindTime:
		return append(v.Time().AppendFormat(append(b, '"'), time.RFC3339Nano), '"')
	case slog.KindFloat64:
		return appendAny(b, v.Float64())
	}
	return appendAny(b, v.Any())
}

// Appender is a value that appends its own JSON encoding, so the Handler
// writes it without encoding/json. Its output must be one valid JSON
// value, the same as its json.Marshal result.
type Appender interface {
	AppendJSON(b []byte) []byte
}

// appendAny has fast paths for string lists, errors and Appenders;
// anything else goes through encoding/json, as slog.JSONHandler does.
func appendAny(b []byte, x any) []byte {
	switch t := x.(type) {
	case []string:
		b = append(b, '[')
		for i, s := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendString(b, s)
		}
		return append(b, ']')
	case error:
		return AppendString(b, t.Error())
	case Appender:
		return t.AppendJSON(b)
	}
	j, err := json.Marshal(x)
	if err != nil {
		return AppendString(b, "!ERROR:"+err.Error())
	}
	return append(b, j...)
}
