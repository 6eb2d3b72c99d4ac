package authz

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// JSONLineHandler is a slog.Handler that writes one JSON object per record,
// in the same shape as slog.JSONHandler (time, level, msg, then the
// attributes), with a fast path for the attribute kinds the decision log
// uses. A decision line is built in a pooled buffer and written with one
// Write call, so lines from concurrent Checks never interleave.
type JSONLineHandler struct {
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

var _ slog.Handler = (*JSONLineHandler)(nil)

// NewJSONLineHandler writes records at or above level (nil: Info) to w.
func NewJSONLineHandler(w io.Writer, level slog.Leveler) *JSONLineHandler {
	if level == nil {
		level = slog.LevelInfo
	}
	lw := &lockedWriter{w: w}
	lw.lines.New = func() any { b := make([]byte, 0, 1024); return &b }
	return &JSONLineHandler{w: lw, level: level}
}

// Enabled reports whether l is at or above the handler's level.
func (h *JSONLineHandler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= h.level.Level()
}

// Handle writes r as one JSON line.
func (h *JSONLineHandler) Handle(_ context.Context, r slog.Record) error {
	return h.write(r.Time, r.Level, r.Message, r.Attrs)
}

// LogAttrs writes the line slog.Logger.LogAttrs would hand Handle, stamped
// now, without building a slog.Record: the Record copies every attribute
// and records the caller's program counter, which this handler never
// writes (TestJSONLineHandlerLogAttrs holds the two lines equal).
func (h *JSONLineHandler) LogAttrs(level slog.Level, msg string, attrs ...slog.Attr) error {
	if !h.Enabled(context.Background(), level) {
		return nil
	}
	return h.write(time.Now(), level, msg, slices.Values(attrs))
}

func (h *JSONLineHandler) write(t time.Time, level slog.Level, msg string, attrs func(func(slog.Attr) bool)) error {
	bp := h.w.lines.Get().(*[]byte)
	b := append((*bp)[:0], '{')
	if !t.IsZero() {
		b = append(b, `"time":"`...)
		b = t.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `",`...)
	}
	b = append(b, `"level":`...)
	b = appendJSONString(b, level.String())
	b = append(b, `,"msg":`...)
	b = appendJSONString(b, msg)
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
func (h *JSONLineHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.prefix = append([]byte(nil), h.prefix...)
	for _, a := range attrs {
		c.prefix = appendAttr(c.prefix, a)
	}
	return &c
}

// WithGroup returns a handler that nests later attributes under name.
func (h *JSONLineHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.prefix = append(appendJSONString(append(append([]byte(nil), h.prefix...), ','), name), `:{`...)
	c.open++
	return &c
}
