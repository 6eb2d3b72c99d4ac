package extproc

import (
	"encoding/json"
	"errors"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// bodyFilter reads a response body chunk by chunk (one chunk in BUFFERED
// mode) and returns what Envoy forwards in place of each chunk.
type bodyFilter interface {
	chunk(data []byte, end bool) []byte
}

// filterBody filters the tools/list results of one JSON-RPC body (a JSON
// response, or one SSE event's data). It returns the body to forward:
// filtered, as it was when it holds no list, or a JSON-RPC error.
func (st *stream) filterBody(data []byte) []byte {
	b, err := mcp.ParseServerBody(st.ctx, data, mcp.Options{MaxBytes: st.s.opts.MaxResponseBytes})
	if err != nil {
		reason := reasonUnreadable
		if errors.Is(err, mcp.ErrTooLarge) {
			reason = reasonTooLarge
		}
		st.replaced(reason)
		return errorBody(st.errorID(), reason)
	}
	var lists [][]mcp.Tool
	var listed []int // message index of each list
	for i := range b.Messages {
		if b.Messages[i].IsList {
			lists, listed = append(lists, b.Messages[i].Tools), append(listed, i)
		}
	}
	if len(lists) == 0 {
		return data
	}
	l := st.s.filter.FilterTools(st.ctx, st.req, lists)
	if !l.Decision.Allowed() {
		st.s.metrics.lists.WithLabelValues(resultReplaced).Add(float64(len(lists)))
		st.replaced(reasonCaller)
		return callerDenied(b, listed, l.Decision.ID)
	}
	st.s.metrics.lists.WithLabelValues(resultFiltered).Add(float64(len(lists)))
	for reason, n := range l.Hidden {
		st.s.metrics.hidden.WithLabelValues(reason).Add(float64(n))
	}
	keep := make(map[int][]bool, len(listed))
	for i, msg := range listed {
		keep[msg] = l.Keep[i]
	}
	return b.Encode(func(msg, tool int) bool { return keep[msg][tool] })
}

// callerDenied answers the lists of a caller that was not verified with
// JSON-RPC errors on their ids; nothing of the body is passed.
func callerDenied(b *mcp.ServerBody, listed []int, decisionID string) []byte {
	const msg = "tollgate: the tool list cannot be shown: the caller was not verified"
	if !b.Batch {
		return mcp.ErrorResponse(b.Messages[0].ID, mcp.CodePermissionDenied, msg, decisionID)
	}
	ids := make([]json.RawMessage, len(listed))
	for i, m := range listed {
		ids[i] = b.Messages[m].ID
	}
	return mcp.BatchErrorResponse(ids, mcp.CodePermissionDenied, msg, decisionID)
}

// jsonFilter holds an application/json body until its end: no byte is
// forwarded before the whole body was read and filtered.
type jsonFilter struct {
	st     *stream
	buf    []byte
	failed bool
}

func newJSONFilter(st *stream) *jsonFilter { return &jsonFilter{st: st} }

func (f *jsonFilter) chunk(data []byte, end bool) []byte {
	if !f.failed && len(f.buf)+len(data) > f.st.s.opts.MaxResponseBytes {
		f.failed, f.buf = true, nil
	}
	if !f.failed {
		f.buf = append(f.buf, data...)
	}
	if !end {
		return nil
	}
	if f.failed {
		f.st.replaced(reasonTooLarge)
		return errorBody(f.st.errorID(), reasonTooLarge)
	}
	out := f.st.filterBody(f.buf)
	f.buf = nil
	return out
}

// sseFilter forwards a text/event-stream event by event, each only once it
// is whole and filtered, in a framing every reader reads the same way.
// After a framing error it forwards one error event and nothing more.
type sseFilter struct {
	st     *stream
	r      *mcp.SSEReader
	failed bool
}

func newSSEFilter(st *stream) *sseFilter {
	return &sseFilter{st: st, r: mcp.NewSSEReader(st.s.opts.MaxResponseBytes)}
}

func (f *sseFilter) chunk(data []byte, end bool) []byte {
	if f.failed {
		return nil
	}
	evs, err := f.r.Feed(data)
	if err == nil && end {
		var rest []mcp.SSEEvent
		rest, err = f.r.End()
		evs = append(evs, rest...)
	}
	var out []byte
	for i := range evs {
		out = f.event(out, &evs[i])
	}
	if err != nil {
		f.failed = true
		reason := reasonFraming
		if errors.Is(err, mcp.ErrSSETooLarge) {
			reason = reasonTooLarge
		}
		f.st.replaced(reason)
		ev := mcp.SSEEvent{}
		out = ev.Append(out, string(errorBody(f.st.errorID(), reason)), true)
	}
	return out
}

func (f *sseFilter) event(out []byte, ev *mcp.SSEEvent) []byte {
	if !ev.HasData || ev.Data == "" {
		// A priming event (an id for resumption) or a keep-alive.
		return ev.Append(out, ev.Data, ev.HasData)
	}
	return ev.Append(out, string(f.st.filterBody([]byte(ev.Data))), true)
}

// blindFilter replaces a body whose headers Tollgate never saw: one
// JSON-RPC error in place of the first chunk, nothing after it.
type blindFilter struct {
	st   *stream
	done bool
}

func (f *blindFilter) chunk([]byte, bool) []byte {
	if f.done {
		return nil
	}
	f.done = true
	f.st.replaced(reasonNoHeaders)
	return errorBody(f.st.errorID(), reasonNoHeaders)
}
