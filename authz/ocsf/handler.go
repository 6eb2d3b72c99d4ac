package ocsf

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"sync"

	"github.com/tollgate-authz/tollgate/authz"
)

// Handler is a slog.Handler that writes each "decision" record as one OCSF
// event line. Records with another message are not decisions and are not
// written. A line is written with one Write call under a lock, so lines
// from concurrent Checks never interleave.
type Handler struct {
	out     *output
	level   slog.Leveler
	product Product
	attrs   []slog.Attr // from WithAttrs, already nested in groups
	groups  []string
}

// Product names the program that made the events (metadata.product).
type Product struct {
	// Version is Tollgate's version; empty is written as "unknown".
	Version string
}

// output is shared by a handler and the copies WithAttrs and WithGroup
// make: one lock and one buffer pool per destination.
type output struct {
	mu   sync.Mutex
	w    io.Writer
	bufs sync.Pool // *scratch
}

// scratch renders one event: the JSON decision line (unmapped.tollgate)
// by authz's own writer, then the event around it.
type scratch struct {
	line  bytes.Buffer
	inner *authz.JSONLineHandler
	event []byte
}

var _ slog.Handler = (*Handler)(nil)

// NewHandler writes events at or above level (nil: Info) to w.
func NewHandler(w io.Writer, level slog.Leveler, p Product) *Handler {
	if level == nil {
		level = slog.LevelInfo
	}
	if p.Version == "" {
		p.Version = "unknown"
	}
	out := &output{w: w}
	out.bufs.New = func() any {
		s := &scratch{event: make([]byte, 0, 2048)}
		s.inner = authz.NewJSONLineHandler(&s.line, slog.LevelDebug)
		return s
	}
	return &Handler{out: out, level: level, product: p}
}

// Enabled reports whether l is at or above the handler's level.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

// Handle writes r as one OCSF event line when it is a decision.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message != decisionMsg {
		return nil
	}
	if len(h.attrs) > 0 || len(h.groups) > 0 {
		r = h.flatten(r)
	}
	s := h.out.bufs.Get().(*scratch)
	defer h.out.bufs.Put(s)
	s.line.Reset()
	if err := s.inner.Handle(ctx, r); err != nil {
		return err
	}
	d := decision{time: r.Time}
	r.Attrs(func(a slog.Attr) bool { d.attr(a); return true })
	s.event = append(appendEvent(s.event[:0], &d, h.product, bytes.TrimSuffix(s.line.Bytes(), []byte("\n"))), '\n')
	h.out.mu.Lock()
	defer h.out.mu.Unlock()
	_, err := h.out.w.Write(s.event)
	return err
}

// flatten returns r with the handler's attributes first and r's own
// nested in the open groups.
func (h *Handler) flatten(r slog.Record) slog.Record {
	var own []slog.Attr
	r.Attrs(func(a slog.Attr) bool { own = append(own, a); return true })
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	out.AddAttrs(h.attrs...)
	out.AddAttrs(nest(h.groups, own)...)
	return out
}

// WithAttrs returns a handler that adds attrs to every record.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr(nil), h.attrs...), nest(h.groups, attrs)...)
	return &c
}

// WithGroup returns a handler that nests later attributes under name.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.groups = append(append([]string(nil), h.groups...), name)
	return &c
}

// nest wraps attrs in the open groups, innermost last.
func nest(groups []string, attrs []slog.Attr) []slog.Attr {
	for i := len(groups) - 1; i >= 0 && len(attrs) > 0; i-- {
		as := make([]any, len(attrs))
		for j, a := range attrs {
			as[j] = a
		}
		attrs = []slog.Attr{slog.Group(groups[i], as...)}
	}
	return attrs
}
