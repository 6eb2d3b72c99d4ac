package mcp

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"
)

// SSE framing errors. A stream that fails framing must not reach the
// client: what Tollgate did not read, it cannot have filtered.
var (
	ErrSSEFraming   = errors.New("mcp: bad SSE framing")
	ErrSSETooLarge  = errors.New("mcp: SSE event over the size limit")
	ErrSSETruncated = errors.New("mcp: SSE stream ended inside an event")
)

// SSEEvent is one dispatched Server-Sent Event (WHATWG HTML, 9.2.6).
type SSEEvent struct {
	Event, ID, Retry string
	HasID            bool
	// Data is the event's data lines joined with "\n".
	Data    string
	HasData bool
	// Comments are the comment lines before and in the event (keep-alives).
	Comments []string
}

// SSEReader reassembles events from a text/event-stream body split into
// chunks at any byte. It holds at most max bytes of an unfinished event.
type SSEReader struct {
	max     int
	started bool
	buf     []byte // bytes after the last complete line
	seen    int    // buf[:seen] holds no line end (but a CR at its end)
	cur     SSEEvent
	data    []byte // the current event's data, joined as it is read
	size    int    // bytes of the current event so far
	failed  error
}

// NewSSEReader returns a reader that refuses an event over max bytes.
func NewSSEReader(max int) *SSEReader { return &SSEReader{max: max} }

// Feed reads one chunk and returns the events it completes. On an error
// it returns the events completed before it with the error, so where the
// stream was cut does not change what is read; after an error every call
// returns it.
func (r *SSEReader) Feed(chunk []byte) ([]SSEEvent, error) {
	if r.failed != nil {
		return nil, r.failed
	}
	r.buf = append(r.buf, chunk...)
	if !r.started && len(r.buf) > 0 {
		if len(r.buf) < 3 && bytes.HasPrefix([]byte("\xEF\xBB\xBF"), r.buf) {
			return nil, nil // maybe a byte order mark: wait
		}
		r.buf, r.started = bytes.TrimPrefix(r.buf, []byte("\xEF\xBB\xBF")), true
	}
	return r.scan(false)
}

// End reads what is left at the end of the stream and reports a stream
// that stopped inside an event or a line, with the events before it.
func (r *SSEReader) End() ([]SSEEvent, error) {
	if r.failed != nil {
		return nil, r.failed
	}
	out, err := r.scan(true)
	if err == nil && (len(r.buf) > 0 || r.size > 0) {
		err = r.fail(ErrSSETruncated)
	}
	return out, err
}

// scan reads the whole lines in buf. A CR at the end of buf may be the
// start of a CRLF, so it ends a line only at the end of the stream.
// Bytes already searched are not searched again, and buf is copied only
// when lines were consumed: an event sent in small chunks costs time and
// memory linear in its size.
func (r *SSEReader) scan(final bool) ([]SSEEvent, error) {
	var out []SSEEvent
	start := 0 // the unread line begins at buf[start]
	for {
		j := bytes.IndexAny(r.buf[r.seen:], "\r\n")
		if j < 0 {
			r.seen = len(r.buf)
			break
		}
		i := r.seen + j
		if !final && r.buf[i] == '\r' && i+1 == len(r.buf) {
			r.seen = i
			break
		}
		line, next := r.buf[start:i], i+1
		if r.buf[i] == '\r' && next < len(r.buf) && r.buf[next] == '\n' {
			next++
		}
		ev, done, err := r.line(line, next-i)
		if err != nil {
			return out, r.fail(err)
		}
		if done {
			out = append(out, ev)
		}
		start, r.seen = next, next
	}
	if r.size+len(r.buf)-start > r.max {
		return out, r.fail(ErrSSETooLarge)
	}
	if start > 0 {
		r.buf = append([]byte(nil), r.buf[start:]...) // drop what was consumed
		r.seen -= start
	}
	return out, nil
}

func (r *SSEReader) fail(err error) error {
	r.failed, r.buf, r.seen = err, nil, 0
	return err
}

// line reads one line; an empty line dispatches the event. The size is
// checked before the content: scan refuses an unfinished line on its size
// alone, and a line must fail the same way whether it came whole or cut.
func (r *SSEReader) line(line []byte, n int) (SSEEvent, bool, error) {
	if len(line) > 0 {
		if r.size += len(line) + n; r.size > r.max {
			return SSEEvent{}, false, ErrSSETooLarge
		}
	}
	if !utf8.Valid(line) || bytes.IndexByte(line, 0) >= 0 {
		return SSEEvent{}, false, ErrSSEFraming
	}
	if len(line) == 0 {
		ev := r.cur
		ev.Data = string(r.data)
		done := ev.HasData || ev.HasID || ev.Event != "" || ev.Retry != "" || len(ev.Comments) > 0
		r.cur, r.size, r.data = SSEEvent{}, 0, r.data[:0]
		return ev, done, nil
	}
	field, value, _ := strings.Cut(string(line), ":")
	value = strings.TrimPrefix(value, " ")
	switch field {
	case "":
		r.cur.Comments = append(r.cur.Comments, value)
	case "data":
		if r.cur.HasData {
			r.data = append(r.data, '\n')
		}
		r.data = append(r.data, value...)
		r.cur.HasData = true
	case "event":
		r.cur.Event = value
	case "id":
		r.cur.ID, r.cur.HasID = value, true
	case "retry":
		if value == "" || strings.Trim(value, "0123456789") != "" {
			return SSEEvent{}, false, ErrSSEFraming
		}
		r.cur.Retry = value
	}
	// Other fields are ignored by every reader; they are not written out.
	return SSEEvent{}, false, nil
}

// Append writes the event with data in place of its data, in the one
// framing every reader agrees on: LF line ends, "field: value", one data
// line per line of data, a blank line at the end.
func (e *SSEEvent) Append(dst []byte, data string, hasData bool) []byte {
	for _, c := range e.Comments {
		dst = append(dst, ": "...)
		dst = append(dst, c...)
		dst = append(dst, '\n')
	}
	if e.Event != "" {
		dst = append(append(append(dst, "event: "...), e.Event...), '\n')
	}
	if e.HasID {
		dst = append(append(append(dst, "id: "...), e.ID...), '\n')
	}
	if e.Retry != "" {
		dst = append(append(append(dst, "retry: "...), e.Retry...), '\n')
	}
	if hasData {
		for _, l := range strings.Split(data, "\n") {
			dst = append(append(append(dst, "data: "...), l...), '\n')
		}
	}
	return append(dst, '\n')
}
