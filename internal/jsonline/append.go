package jsonline

import (
	"encoding/json"
	"log/slog"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendAttr appends `,"key":value` (no comma right after an opening brace).
func appendAttr(b []byte, a slog.Attr) []byte {
	v := a.Value.Resolve()
	if a.Key == "" && v.Kind() != slog.KindGroup {
		return b
	}
	if v.Kind() == slog.KindGroup {
		return appendGroup(b, a.Key, v.Group())
	}
	if len(b) == 0 || b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = AppendString(b, a.Key)
	b = append(b, ':')
	return appendValue(b, v)
}

func appendGroup(b []byte, key string, attrs []slog.Attr) []byte {
	if len(attrs) == 0 {
		return b
	}
	if key == "" { // inline, as slog does
		for _, a := range attrs {
			b = appendAttr(b, a)
		}
		return b
	}
	if len(b) == 0 || b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = append(AppendString(b, key), ':', '{')
	for _, a := range attrs {
		b = appendAttr(b, a)
	}
	return append(b, '}')
}

func appendValue(b []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindString:
		return AppendString(b, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool())
	case slog.KindDuration:
		return strconv.AppendInt(b, int64(v.Duration()), 10)
	case slog.KindTime:
		return append(v.Time().AppendFormat(append(b, '"'), time.RFC3339Nano), '"')
	case slog.KindFloat64:
		return appendAny(b, v.Float64())
	}
	return appendAny(b, v.Any())
}

// Appender is a value that appends its own JSON encoding, so the Handler
// writes it without encoding/json. Its output must be one valid JSON
// value, the same as its json.Marshal result.
type Appender interface {
	AppendJSON(b []byte) []byte
}

// appendAny has fast paths for string lists, errors and Appenders;
// anything else goes through encoding/json, as slog.JSONHandler does.
func appendAny(b []byte, x any) []byte {
	switch t := x.(type) {
	case []string:
		b = append(b, '[')
		for i, s := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendString(b, s)
		}
		return append(b, ']')
	case error:
		return AppendString(b, t.Error())
	case Appender:
		return t.AppendJSON(b)
	}
	j, err := json.Marshal(x)
	if err != nil {
		return AppendString(b, "!ERROR:"+err.Error())
	}
	return append(b, j...)
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string, as encoding/json writes it. Control characters, quotes,
// backslashes, U+2028/U+2029 are escaped; invalid UTF-8 becomes U+FFFD.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendEscapedByte(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, `\u202`...)
				b = append(b, hexDigits[r&0xF])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}

func appendEscapedByte(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
