package authzen

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// maxDepth bounds the nesting of objects and arrays in a body.
const maxDepth = 32

// checkIJSON refuses what the I-JSON profile (RFC 7493, required by the
// specification's JSON payload considerations) rules out and
// encoding/json would silently accept: invalid UTF-8 (it would become
// U+FFFD), duplicate member names after unescaping (the last would win,
// where another reader may take the first) and unbounded nesting. The
// top level must be one object.
func checkIJSON(body []byte) error {
	if !utf8.Valid(body) {
		return badRequest("the body is not valid UTF-8")
	}
	if !json.Valid(body) {
		var v any
		err := json.Unmarshal(body, &v) // for its message
		return badRequest("the body is not JSON: %v", err)
	}
	w := walker{b: body}
	w.ws()
	if w.b[w.i] != '{' {
		return badRequest("the body must be a JSON object")
	}
	return w.value(0)
}

// walker walks JSON that json.Valid accepted, so it checks only what
// Valid does not: duplicate names and depth.
type walker struct {
	b    []byte
	i    int
	work int // member names compared or looked up (TestIJSONDuplicateCheckIsLinear)
}

func (w *walker) ws() {
	for w.i < len(w.b) && (w.b[w.i] == ' ' || w.b[w.i] == '\t' || w.b[w.i] == '\n' || w.b[w.i] == '\r') {
		w.i++
	}
}

func (w *walker) value(depth int) error {
	w.ws()
	switch w.b[w.i] {
	case '{', '[':
		if depth >= maxDepth {
			return badRequest("the body nests more than %d objects and arrays", maxDepth)
		}
		return w.container(depth)
	case '"':
		w.str()
	default: // number, true, false, null
		for w.i < len(w.b) && !endsScalar(w.b[w.i]) {
			w.i++
		}
	}
	return nil
}

func (w *walker) container(depth int) error {
	obj := w.b[w.i] == '{'
	w.i++
	var names map[string]struct{} // made at the first name: arrays need none
	for {
		w.ws()
		if c := w.b[w.i]; c == '}' || c == ']' {
			w.i++
			return nil
		}
		if obj {
			name := w.name()
			if names == nil {
				names = map[string]struct{}{}
			}
			w.work++
			if _, dup := names[name]; dup {
				return badRequest("member %.64q appears twice in one object", name)
			}
			names[name] = struct{}{}
			w.ws()
			w.i++ // ':'
		}
		if err := w.value(depth + 1); err != nil {
			return err
		}
		w.ws()
		if w.b[w.i] == ',' {
			w.i++
		}
	}
}

func endsScalar(c byte) bool {
	return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\r' || c == '\n'
}

// str skips a string and returns its raw bytes, quotes included.
func (w *walker) str() []byte {
	start := w.i
	w.i++
	for w.b[w.i] != '"' {
		if w.b[w.i] == '\\' {
			w.i++
		}
		w.i++
	}
	w.i++
	return w.b[start:w.i]
}

// name is a member name after unescaping.
func (w *walker) name() string {
	raw := w.str()
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	_ = json.Unmarshal(raw, &s) // valid JSON: cannot fail
	return s
}
