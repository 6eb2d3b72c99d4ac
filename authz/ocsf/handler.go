package ocsf

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
)

// Handler is a slog.Handler that writes each "decision" record as one OCSF
// event line. Records with another message are not decisions and are not
// written. A line is written with one Write call under a lock, so lines
// from concurrent Checks never interleave.
type Handler struct {
	out     *lockedWriter
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

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
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
	return &Handler{out: &lockedWriter{w: w}, level: level, product: p}
}

// Enabled reports whether l is at or above the handler's level.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

// Handle writes r as one OCSF event line when it is a decision.
func (h *Handler) Handle(_ context.Context, r slog.Record) error {
	if r.Message != decisionMsg {
		return nil
	}
	attrs := make([]slog.Attr, 0, len(h.attrs)+r.NumAttrs())
	attrs = append(attrs, h.attrs...)
	var own []slog.Attr
	r.Attrs(func(a slog.Attr) bool { own = append(own, a); return true })
	attrs = append(attrs, nest(h.groups, own)...)
	b, err := json.Marshal(newEvent(readDecision(r.Time, attrs), h.product))
	if err != nil {
		return err // unreachable: every value is made encodable in readDecision
	}
	h.out.mu.Lock()
	defer h.out.mu.Unlock()
	_, err = h.out.w.Write(append(b, '\n'))
	return err
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
