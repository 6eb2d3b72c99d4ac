package xfcc

import (
	"fmt"
	"strings"
)

const (
	// MaxHeaderBytes is the largest header Parse accepts. A URL-encoded
	// leaf plus a two-certificate chain fits in well under 32 KiB.
	MaxHeaderBytes = 64 << 10
	// MaxElements is the largest number of comma-separated elements Parse
	// accepts (one per appending proxy hop).
	MaxElements = 16
)

// Parse parses an x-forwarded-client-cert header value into its elements, in
// header order (first element first). It is strict and fails on anything it
// does not fully understand; see the package documentation for the grammar.
// Errors wrap ErrMalformed (and ErrTooLarge for limit violations), name the
// element (counted from 1) and the byte offset, and never echo the header.
func Parse(header string) ([]Element, error) {
	if header == "" {
		return nil, syntaxError(1, 0, "empty header")
	}
	if len(header) > MaxHeaderBytes {
		return nil, fmt.Errorf("xfcc: %w: %w: header is %d bytes, limit is %d",
			ErrMalformed, ErrTooLarge, len(header), MaxHeaderBytes)
	}
	p := &parser{s: header}
	var elems []Element
	for {
		if len(elems) == MaxElements {
			return nil, fmt.Errorf("xfcc: %w: %w: more than %d elements (offset %d)",
				ErrMalformed, ErrTooLarge, MaxElements, p.pos)
		}
		p.elem = len(elems) + 1
		e, err := p.element()
		if err != nil {
			return nil, err
		}
		elems = append(elems, e)
		if p.pos == len(p.s) {
			return elems, nil
		}
		p.pos++ // the ',' that ended the element
	}
}

// parser is a single-pass scanner over the header. pos only moves forward.
type parser struct {
	s    string
	pos  int
	elem int // current element number, from 1
}

func (p *parser) fail(offset int, format string, args ...any) error {
	return syntaxError(p.elem, offset, fmt.Sprintf(format, args...))
}

// element scans key=value pairs up to a ',' or the end of the header.
func (p *parser) element() (Element, error) {
	var b builder
	for {
		k, keyAt, err := p.key()
		if err != nil {
			return Element{}, err
		}
		valueAt := p.pos
		v, err := p.value()
		if err != nil {
			return Element{}, err
		}
		if err := b.set(k, v, keyAt, valueAt, p); err != nil {
			return Element{}, err
		}
		if p.pos == len(p.s) || p.s[p.pos] == ',' {
			return b.e, nil
		}
		p.pos++ // the ';' that ended the pair
	}
}

// key scans a key and the '=' after it.
func (p *parser) key() (key, int, error) {
	start := p.pos
	for p.pos < len(p.s) && isLetter(p.s[p.pos]) {
		p.pos++
	}
	if p.pos == start {
		return 0, start, p.emptyKeyError()
	}
	name := p.s[start:p.pos]
	if p.pos == len(p.s) || p.s[p.pos] != '=' {
		return 0, start, p.fail(p.pos, "expected '=' after key %s", clip(name))
	}
	k, ok := lookupKey(name)
	if !ok {
		return 0, start, p.fail(start, "unknown key %s", clip(name))
	}
	p.pos++ // '='
	return k, start, nil
}

func (p *parser) emptyKeyError() error {
	switch {
	case p.pos == len(p.s) || p.s[p.pos] == ',':
		if p.pos == 0 || p.s[p.pos-1] == ',' {
			return p.fail(p.pos, "empty element")
		}
		return p.fail(p.pos, "empty key-value pair")
	case p.s[p.pos] == ';':
		return p.fail(p.pos, "empty key-value pair")
	case p.s[p.pos] == '=':
		return p.fail(p.pos, "empty key")
	default:
		return p.fail(p.pos, "invalid character %s in key", byteName(p.s[p.pos]))
	}
}

// value scans a quoted or unquoted value and leaves pos on the ';' or ','
// that ends it, or at the end of the header.
func (p *parser) value() (string, error) {
	if p.pos < len(p.s) && p.s[p.pos] == '"' {
		return p.quoted()
	}
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == ';' || c == ',' {
			break
		}
		if !unquotedByte(c) {
			return "", p.fail(p.pos, "invalid character %s in unquoted value", byteName(c))
		}
		p.pos++
	}
	return p.s[start:p.pos], nil
}

// quoted scans a double-quoted value. Inside quotes ',', ';' and '=' are
// literal, \" is a quote and \\ a backslash; any other backslash is literal.
func (p *parser) quoted() (string, error) {
	open := p.pos
	p.pos++
	var sb strings.Builder
	chunk := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == '"':
			v := p.s[chunk:p.pos]
			if sb.Len() > 0 {
				sb.WriteString(v)
				v = sb.String()
			}
			p.pos++
			return v, p.afterQuote()
		case c == '\\' && p.pos+1 < len(p.s) && (p.s[p.pos+1] == '"' || p.s[p.pos+1] == '\\'):
			sb.WriteString(p.s[chunk:p.pos])
			sb.WriteByte(p.s[p.pos+1])
			p.pos += 2
			chunk = p.pos
		case !quotedByte(c):
			return "", p.fail(p.pos, "invalid character %s in quoted value", byteName(c))
		default:
			p.pos++
		}
	}
	return "", p.fail(open, "unterminated quote")
}

func (p *parser) afterQuote() error {
	if p.pos == len(p.s) || p.s[p.pos] == ';' || p.s[p.pos] == ',' {
		return nil
	}
	return p.fail(p.pos, "unexpected character %s after closing quote", byteName(p.s[p.pos]))
}
