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
type cedarJSON struct{ rec types.Record }

var errReservedKey = errors.New("record has a reserved Cedar JSON key")

// MarshalJSON implements json.Marshaler, for handlers other than
// jsonw.Handler.
func (c cedarJSON) MarshalJSON() ([]byte, error) { return c.AppendJSON(nil), nil }

// AppendJSON implements jsonw.Appender. It appends the record, or {}
// when cedar-go could not encode it either (a key "__extn" or "__entity").
func (c cedarJSON) AppendJSON(b []byte) []byte {
	out, err := appendCedarValue(b, c.rec)
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
		return appendCedarRecord(b, t)
	}
	j, err := json.Marshal(v) // every cedar-go value is a json.Marshaler
	if err != nil {
		return nil, err
	}
	return append(b, j...), nil
}

// appendCedarRecord writes the keys sorted, as cedar-go does.
func appendCedarRecord(b []byte, r types.Record) ([]byte, error) {
	var buf [16]types.String
	keys := buf[:0]
	for k := range r.Keys() {
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
		var err error
		if b, err = appendCedarValue(append(jsonw.AppendString(b, string(k)), ':'), v); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}
