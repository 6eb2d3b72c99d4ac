package strictjson

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors; every error from Parse is an *Error wrapping one of them.
var (
	ErrSyntax       = errors.New("invalid JSON")
	ErrDuplicateKey = errors.New("duplicate object key")
	ErrTooDeep      = errors.New("nesting too deep")
	// ErrBadKey is an object key with a control character (U+0000-U+001F,
	// U+007F-U+009F), raw or escaped: some decoders cut or ignore them, so
	// "name\u0000" could be read as "name"; or the key "__proto__", whose
	// members a JavaScript reader copying the object reads as its own.
	ErrBadKey = errors.New("control character or __proto__ in object key")
	// ErrTooMany is a document with more values than Limits.MaxValues.
	ErrTooMany = errors.New("too many JSON values")
	// ErrCanceled is a parse stopped because its context ended.
	ErrCanceled = errors.New("parsing canceled")
)

// maxKeyInError bounds how much of an (untrusted) key an error repeats.
const maxKeyInError = 64

// Error locates a parse failure.
type Error struct {
	Err    error  // one of the sentinels
	Offset int    // byte offset of the failure in the input
	Detail string // what was wrong
	// Path lists the object keys and array indexes leading to the failure,
	// outermost first. Keys are raw attacker input: quote before display.
	Path []string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%v at offset %d (%s): %s", e.Err, e.Offset, e.Pointer(), e.Detail)
}

func (e *Error) Unwrap() error { return e.Err }

// Pointer renders Path as a bounded, quoted JSONPath-like string, e.g.
// $["params"]["arguments"][2].
func (e *Error) Pointer() string {
	var b strings.Builder
	b.WriteString("$")
	for _, seg := range e.Path {
		b.WriteString("[")
		b.WriteString(seg)
		b.WriteString("]")
	}
	return b.String()
}

// QuoteKey returns a quoted, length-bounded form of an untrusted key that
// is safe to put in a log line.
func QuoteKey(k string) string {
	if len(k) > maxKeyInError {
		cut := maxKeyInError
		for cut > 0 && !isRuneStart(k[cut]) {
			cut--
		}
		return strconv.Quote(k[:cut]) + "..."
	}
	return strconv.Quote(k)
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

func errAt(sentinel error, off int, format string, args ...any) *Error {
	return &Error{Err: sentinel, Offset: off, Detail: fmt.Sprintf(format, args...)}
}

// within prefixes the path of err with seg as it unwinds the recursion.
func within(err error, seg string) error {
	var e *Error
	if errors.As(err, &e) {
		e.Path = append([]string{seg}, e.Path...)
	}
	return err
}
