package strictjson

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// Parse parses data as one JSON value nested at most maxDepth arrays and
// objects deep (a top-level object is depth 1). It returns an *Error that
// wraps ErrSyntax, ErrDuplicateKey or ErrTooDeep.
func Parse(data []byte, maxDepth int) (Value, error) {
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		return Value{}, errAt(ErrSyntax, 0, "byte order mark is not allowed")
	}
	if !utf8.Valid(data) {
		return Value{}, errAt(ErrSyntax, invalidUTF8At(data), "invalid UTF-8")
	}
	p := parser{data: data, maxDepth: maxDepth}
	p.skipWS()
	v, err := p.value(0)
	if err != nil {
		return Value{}, err
	}
	p.skipWS()
	if p.pos != len(data) {
		return Value{}, errAt(ErrSyntax, p.pos, "unexpected data after the top-level value")
	}
	// Defence in depth: never accept what the standard library rejects.
	if !json.Valid(data) {
		return Value{}, errAt(ErrSyntax, 0, "rejected by encoding/json")
	}
	return v, nil
}

func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

type parser struct {
	data     []byte
	pos      int
	maxDepth int
}

func (p *parser) skipWS() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value parses the value at p.pos; depth is the number of enclosing
// containers.
func (p *parser) value(depth int) (Value, error) {
	if p.pos >= len(p.data) {
		return Value{}, errAt(ErrSyntax, p.pos, "unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{' || c == '[':
		if depth+1 > p.maxDepth {
			return Value{}, errAt(ErrTooDeep, p.pos, "more than %d nested arrays/objects", p.maxDepth)
		}
		if c == '{' {
			return p.object(depth + 1)
		}
		return p.array(depth + 1)
	case c == '"':
		start := p.pos
		s, err := p.str()
		return Value{Kind: String, Raw: p.data[start:p.pos], Str: s}, err
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", Value{Kind: Bool, Bool: true})
	case c == 'f':
		return p.literal("false", Value{Kind: Bool})
	case c == 'n':
		return p.literal("null", Value{Kind: Null})
	default:
		// The byte itself is not repeated: it may be part of a secret.
		return Value{}, errAt(ErrSyntax, p.pos, "unexpected character, want a JSON value")
	}
}

func (p *parser) literal(word string, v Value) (Value, error) {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(word)) {
		return Value{}, errAt(ErrSyntax, p.pos, "invalid literal, want %s", word)
	}
	v.Raw = p.data[p.pos : p.pos+len(word)]
	p.pos += len(word)
	return v, nil
}

// expect consumes c after optional whitespace.
func (p *parser) expect(c byte, what string) error {
	p.skipWS()
	if p.pos >= len(p.data) || p.data[p.pos] != c {
		return errAt(ErrSyntax, p.pos, "expected %s", what)
	}
	p.pos++
	return nil
}

// next consumes optional whitespace and then either ',' (more=true) or
// the closing byte (more=false).
func (p *parser) next(closing byte) (more bool, err error) {
	p.skipWS()
	if p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ',':
			p.pos++
			p.skipWS()
			return true, nil
		case closing:
			p.pos++
			return false, nil
		}
	}
	return false, errAt(ErrSyntax, p.pos, "expected ',' or '%c'", closing)
}
