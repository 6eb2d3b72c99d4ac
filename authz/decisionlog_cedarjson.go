package authz

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/internal/jsonw"
)

var _ jsonw.Appender = cedarJSON{}

// cedarJSON is a Cedar record logged in Cedar's JSON form, the form
// types.Record.UnmarshalJSON reads back. AppendJSON writes the common
// value kinds straight into the log line (cedar-go's MarshalJSON costs
// about 20 allocations per context); every other kind goes through
// cedar-go. TestCedarJSONMatchesCedar and FuzzCedarJSON hold the two
// readings equal.
//
// skip, when set, omits the top-level keys it reports and the "arguments"
// of a top-level "mcp" record, as if they were not in rec: the decision
// log's redaction, without building a redacted copy of the context
// (TestRedactedContextMatchesCopy and FuzzRedactedContext hold it equal to
// encoding such a copy).
type cedarJSON struct {
	rec  types.Record
	skip func(types.String) bool
}

var errReservedKey = errors.New("record has a reserved Cedar JSON key")

// MarshalJSON implements json.Marshaler, for handlers other than
// jsonw.Handler.
func (c cedarJSON) MarshalJSON() ([]byte, error) { return c.AppendJSON(nil), nil }

// MarshalText and String give text handlers and fmt the same encoding, so
// no route to text prints rec as Go values: with skip set, rec still holds
// what the log must not.
func (c cedarJSON) MarshalText() ([]byte, error) { return c.AppendJSON(nil), nil }

// String implements fmt.Stringer; see MarshalText.
func (c cedarJSON) String() string { return string(c.AppendJSON(nil)) }

// GoString implements fmt.GoStringer (%#v); see MarshalText.
func (c cedarJSON) GoString() string { return c.String() }

// AppendJSON implements jsonw.Appender. It appends the record, or {}
// when cedar-go could not encode it either (a key "__extn" or "__entity").
func (c cedarJSON) AppendJSON(b []byte) []byte {
	out, err := appendCedarRecord(b, c.rec, c.skip, c.skip != nil)
	if err != nil {
		return append(b, '{', '}')
	}
	return out
}

func appendCedarValue(b []byte, v types.Value) ([]byte, error) {
	switch t := v.(type) {
	case types.String:
		return jsonw.AppendString(b, string(t)), nil
	case types.Long:
		return strconv.AppendInt(b, int64(t), 10), nil
	case types.Boolean:
		return strconv.AppendBool(b, bool(t)), nil
	case types.Datetime:
		b = append(b, `{"__extn":{"fn":"datetime","arg":`...)
		return append(jsonw.AppendString(b, t.String()), '}', '}'), nil
	case types.IPAddr: // context.source_address, on every line
		b = append(b, `{"__extn":{"fn":"ip","arg":`...)
		return append(jsonw.AppendString(b, t.String()), '}', '}'), nil
	case types.Record:
		return appendCedarRecord(b, t, nil, false)
	}
	j, err := json.Marshal(v) // every cedar-go value is a json.Marshaler
	if err != nil {
		return nil, err
	}
	return append(b, j...), nil
}

// appendCedarRecord writes the keys sorted, as cedar-go does, without
// those skip reports (nil: none); with redactMCP, a record under "mcp" is
// written without its "arguments".
func appendCedarRecord(b []byte, r types.Record, skip func(types.String) bool, redactMCP bool) ([]byte, error) {
	var buf [16]types.String
	keys := buf[:0]
	for k := range r.Keys() {
		if skip != nil && skip(k) {
			continue
		}
		if k == "__extn" || k == "__entity" {
			return nil, errReservedKey
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		v, _ := r.Get(k)
		b = append(jsonw.AppendString(b, string(k)), ':')
		var err error
		if m, ok := v.(types.Record); ok && redactMCP && k == "mcp" {
			b, err = appendCedarRecord(b, m, isArguments, false)
		} else {
			b, err = appendCedarValue(b, v)
		}
		if err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func isArguments(k types.String) bool { return k == "arguments" }
