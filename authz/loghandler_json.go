package authz

import (
	"encoding/json"
	"log/slog"
	"strconv"
	"time"

	"github.com/tollgate-authz/tollgate/internal/jsonw"
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
	b = appendJSONString(b, a.Key)
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
	b = append(appendJSONString(b, key), ':', '{')
	for _, a := range attrs {
		b = appendAttr(b, a)
	}
	return append(b, '}')
}

func appendValue(b []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindString:
		return appendJSONString(b, v.String())
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

// appendAny has fast paths for string lists; anything else goes through
// encoding/json, as slog.JSONHandler does.
func appendAny(b []byte, x any) []byte {
	switch t := x.(type) {
	case []string:
		b = append(b, '[')
		for i, s := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		return append(b, ']')
	case []evalErrorLog:
		if len(t) == 0 {
			return append(b, '[', ']')
		}
	case error:
		return appendJSONString(b, t.Error())
	case cedarJSON:
		return t.appendJSON(b)
	}
	j, err := json.Marshal(x)
	if err != nil {
		return appendJSONString(b, "!ERROR:"+err.Error())
	}
	return append(b, j...)
}

// appendJSONString appends s as a JSON string (jsonw.AppendString).
func appendJSONString(b []byte, s string) []byte { return jsonw.AppendString(b, s) }
