package strictjson

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf16"
)

// str parses the string at p.pos (an opening quote) and returns it decoded
// (in the building pass).
func (p *parser) str() (string, error) {
	start := p.pos
	escaped, err := p.scanStr()
	if err != nil || p.counting {
		return "", err
	}
	return decode(p.data[start:p.pos], escaped, start)
}

// strValue parses the string value at p.pos. Only a string with escapes
// is decoded now (so that a string encoding/json would refuse is refused
// here); the text of any other is its raw bytes, built when read.
func (p *parser) strValue() (Value, error) {
	start := p.pos
	escaped, err := p.scanStr()
	if err != nil {
		return Value{}, err
	}
	v := Value{Kind: String, Raw: p.data[start:p.pos], escaped: escaped}
	if escaped && !p.counting {
		v.str, err = decode(v.Raw, true, start)
	}
	return v, err
}

// longString is the length (quotes included) from which the counting
// pass notes where a string ends, so the building pass does not scan it
// again: at most one note per longString bytes of body.
const longString = 256

// strSpan is a long string seen by the counting pass.
type strSpan struct {
	start, end int
	escaped    bool
}

// scanStr validates the string at p.pos (an opening quote) and consumes
// it; escaped reports a backslash escape in it. In the building pass, a
// long string is consumed by the counting pass's note, in document order.
func (p *parser) scanStr() (escaped bool, err error) {
	if !p.counting && p.nextLong < len(p.long) && p.long[p.nextLong].start == p.pos {
		s := p.long[p.nextLong]
		p.nextLong++
		p.pos = s.end
		return s.escaped, nil
	}
	start := p.pos
	p.pos++
	for p.pos < len(p.data) {
		p.pos += plainRun(p.data[p.pos:])
		if p.pos >= len(p.data) {
			break
		}
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			if p.counting && p.pos-start >= longString {
				p.long = append(p.long, strSpan{start: start, end: p.pos, escaped: escaped})
			}
			return escaped, nil
		case c < 0x20:
			return false, errAt(ErrSyntax, p.pos, "control character in string")
		case c == '\\':
			escaped = true
			if err := p.escape(); err != nil {
				return false, err
			}
		default:
			p.pos++
		}
	}
	return false, errAt(ErrSyntax, start, "unterminated string")
}

// plainRun returns the length of the leading run of b that a string
// takes as it is: no quote, backslash or control character. It tests
// eight bytes at a time; the word tests below have no false negatives (a
// false positive only falls back to the byte loop).
func plainRun(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if special(binary.LittleEndian.Uint64(b[i:])) {
			break
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c < 0x20 || c == '"' || c == '\\' {
			break
		}
	}
	return i
}

const (
	ones = 0x0101010101010101
	high = 0x8080808080808080
)

// special reports whether any byte of w is below 0x20, '"' or '\\':
// (x - ones·n) &^ x & high is non-zero exactly when some byte of x is
// below n (n <= 0x80), and x^(ones·c) has a zero byte where w has c.
func special(w uint64) bool {
	q, bs := w^(ones*'"'), w^(ones*'\\')
	return ((w-ones*0x20)&^w|(q-ones)&^q|(bs-ones)&^bs)&high != 0
}

func decode(raw []byte, escaped bool, off int) (string, error) {
	if !escaped {
		return string(raw[1 : len(raw)-1]), nil
	}
	// Escapes are validated already; let the standard library decode them.
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errAt(ErrSyntax, off, "string rejected by encoding/json")
	}
	return s, nil
}

// escape validates the escape sequence at p.pos and consumes it.
func (p *parser) escape() error {
	at := p.pos
	if at+1 >= len(p.data) {
		return errAt(ErrSyntax, at, "unterminated escape")
	}
	switch p.data[at+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		p.pos += 2
		return nil
	case 'u':
	default:
		return errAt(ErrSyntax, at, "invalid escape sequence")
	}
	r, ok := p.hex4(at + 2)
	if !ok {
		return errAt(ErrSyntax, at, "invalid \\u escape")
	}
	p.pos += 6
	switch {
	case !utf16.IsSurrogate(r):
		return nil
	case r >= 0xDC00:
		return errAt(ErrSyntax, at, "unpaired UTF-16 low surrogate")
	}
	if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
		if lo, ok := p.hex4(p.pos + 2); ok && lo >= 0xDC00 && lo <= 0xDFFF {
			p.pos += 6
			return nil
		}
	}
	return errAt(ErrSyntax, at, "unpaired UTF-16 high surrogate")
}

func (p *parser) hex4(at int) (rune, bool) {
	if at+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// number parses a number per RFC 8259 and keeps its literal.
func (p *parser) number() (Value, error) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	switch {
	case p.at('0'):
		p.pos++
	case p.digits() == 0:
		return Value{}, errAt(ErrSyntax, start, "invalid number")
	}
	if p.at('.') {
		p.pos++
		if p.digits() == 0 {
			return Value{}, errAt(ErrSyntax, start, "invalid number: no digits after '.'")
		}
	}
	if p.at('e') || p.at('E') {
		p.pos++
		if p.at('+') || p.at('-') {
			p.pos++
		}
		if p.digits() == 0 {
			return Value{}, errAt(ErrSyntax, start, "invalid number: no digits in exponent")
		}
	}
	raw := p.data[start:p.pos]
	if p.counting {
		return Value{}, nil
	}
	return Value{Kind: Number, Raw: raw}, nil
}

func (p *parser) at(c byte) bool { return p.pos < len(p.data) && p.data[p.pos] == c }

func (p *parser) digits() int {
	n := 0
	for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
		p.pos++
		n++
	}
	return n
}

// fold maps s to a canonical form such that fold(a) == fold(b) exactly when
// strings.EqualFold(a, b), as encoding/json's foldName does.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		for {
			r2 := unicode.SimpleFold(r)
			if r2 <= r {
				return r2
			}
			r = r2
		}
	}, s)
}
