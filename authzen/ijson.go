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
		_, err := w.str()
		return err
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
			name, err := w.name()
			if err != nil {
				return err
			}
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

// str skips a string and returns its raw bytes, quotes included, or
// refuses an escaped surrogate that is not half of a pair (I-JSON).
func (w *walker) str() ([]byte, error) {
	start := w.i
	w.i++
	high := false // the previous character was an escaped high surrogate
	for w.b[w.i] != '"' {
		if w.b[w.i] == '\\' && w.b[w.i+1] == 'u' {
			r := hex4(w.b[w.i+2 : w.i+6])
			isHigh, isLow := r >= 0xd800 && r < 0xdc00, r >= 0xdc00 && r < 0xe000
			if high != isLow {
				return nil, badRequest("a string has an unpaired UTF-16 surrogate escape")
			}
			high = isHigh
			w.i += 6
			continue
		}
		if high {
			return nil, badRequest("a string has an unpaired UTF-16 surrogate escape")
		}
		if w.b[w.i] == '\\' {
			w.i++
		}
		w.i++
	}
	if high {
		return nil, badRequest("a string has an unpaired UTF-16 surrogate escape")
	}
	w.i++
	return w.b[start:w.i], nil
}

// hex4 reads four hex digits json.Valid accepted.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case c >= 'a':
			c -= 'a' - 10
		case c >= 'A':
			c -= 'A' - 10
		default:
			c -= '0'
		}
		r = r<<4 | rune(c)
	}
	return r
}

// name is a member name after unescaping.
func (w *walker) name() (string, error) {
	raw, err := w.str()
	if err != nil {
		return "", err
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	_ = json.Unmarshal(raw, &s) // valid JSON: cannot fail
	return s, nil
}
