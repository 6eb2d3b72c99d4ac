package strictjson

import (
	"bytes"
	"context"
	"math"
	"unicode/utf8"
)

// Limits bound what Parse builds. Both must be positive.
type Limits struct {
	// MaxDepth is the deepest nesting of arrays and objects; a top-level
	// object is depth 1.
	MaxDepth int
	// MaxValues is the most JSON values (scalars, arrays and objects,
	// object keys not counted) in the document.
	MaxValues int
}

// ctxEvery is how many values are parsed between two checks of the context.
const ctxEvery = 1024

// Parse parses data as one JSON value within lim. It returns an *Error that
// wraps ErrSyntax, ErrDuplicateKey, ErrBadKey, ErrTooDeep, ErrTooMany or
// ErrCanceled. Parse checks ctx as it goes, so a caller that gives up
// stops the work.
//
// There is no second validation pass: the fuzz tests show that every
// document Parse accepts, encoding/json accepts and reads the same way.
func Parse(ctx context.Context, data []byte, lim Limits) (Value, error) {
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		return Value{}, errAt(ErrSyntax, 0, "byte order mark is not allowed")
	}
	if !utf8.Valid(data) {
		return Value{}, errAt(ErrSyntax, invalidUTF8At(data), "invalid UTF-8")
	}
	// The first pass validates the syntax and the limits and counts the
	// elements of every container, allocating nothing but the counts; the
	// second builds the tree with slices of exactly the right size. So a
	// body costs memory in proportion to its values, never to append
	// growth, and a body over a limit is refused before the tree is built.
	p := parser{ctx: ctx, data: data, lim: lim, counting: true}
	if _, err := p.document(); err != nil {
		return Value{}, err
	}
	p.pos, p.values, p.counting = 0, 0, false
	return p.document()
}

func (p *parser) document() (Value, error) {
	if err := p.checkContext(); err != nil {
		return Value{}, err
	}
	p.skipWS()
	v, err := p.value(0)
	if err != nil {
		return Value{}, err
	}
	p.skipWS()
	if p.pos != len(p.data) {
		return Value{}, errAt(ErrSyntax, p.pos, "unexpected data after the top-level value")
	}
	return v, nil
}

// size returns the element count of the next container in document order:
// in the counting pass it reserves the slot (fill it with setSize), in the
// building pass it reads the count.
func (p *parser) size() (slot, n int) {
	if p.counting {
		p.counts = append(p.counts, 0)
		return len(p.counts) - 1, 0
	}
	p.next++
	return p.next - 1, int(p.counts[p.next-1])
}

func (p *parser) setSize(slot, n int) {
	if p.counting {
		// A size hint: a count past MaxInt32 (a body of gigabytes) is clamped, never wrapped.
		p.counts[slot] = int32(min(n, math.MaxInt32)) //nolint:gosec // clamped to MaxInt32 just here
	}
}

func (p *parser) checkContext() error {
	if err := p.ctx.Err(); err != nil {
		return &Error{Err: ErrCanceled, Offset: p.pos, Detail: "parsing stopped: " + err.Error()}
	}
	return nil
}

// count accounts for one more value.
func (p *parser) count() error {
	p.values++
	if p.values > p.lim.MaxValues {
		return errAt(ErrTooMany, p.pos, "more than %d JSON values", p.lim.MaxValues)
	}
	if p.values%ctxEvery == 0 {
		return p.checkContext()
	}
	return nil
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
	ctx    context.Context
	data   []byte
	pos    int
	lim    Limits
	values int
	// counting is the first pass; counts are the element counts of the
	// containers in document order, and next the one to use next.
	counting bool
	counts   []int32
	next     int
	// long are the long strings the counting pass saw, in document order,
	// and nextLong the one the building pass meets next (text.go).
	long     []strSpan
	nextLong int
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
	if err := p.count(); err != nil {
		return Value{}, err
	}
	switch c := p.data[p.pos]; {
	case c == '{' || c == '[':
		if depth+1 > p.lim.MaxDepth {
			return Value{}, errAt(ErrTooDeep, p.pos, "more than %d nested arrays/objects", p.lim.MaxDepth)
		}
		if c == '{' {
			return p.object(depth + 1)
		}
		return p.array(depth + 1)
	case c == '"':
		return p.strValue()
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

// sep consumes optional whitespace and then either ',' (more=true) or
// the closing byte (more=false).
func (p *parser) sep(closing byte) (more bool, err error) {
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
