package authz

import (
	"encoding/json"
	"math"

	"github.com/cedar-policy/cedar-go/types"
)

// claimsRecord copies the configured JWT claims into a Cedar record:
// strings, integral numbers, bools and lists of strings. Other values
// (objects, fractions, mixed lists) are omitted, so policies test them
// with `has`. Claim values are never logged.
func claimsRecord(claims map[string]any, names []string) types.Record {
	m := make(types.RecordMap, len(names))
	for _, n := range names {
		if v, ok := claimValue(claims[n]); ok {
			m[types.String(n)] = v
		}
	}
	return types.NewRecord(m)
}

func claimValue(v any) (types.Value, bool) {
	switch x := v.(type) {
	case string:
		return types.String(x), true
	case bool:
		return types.Boolean(x), true
	case float64:
		if x != math.Trunc(x) || x < math.MinInt64 || x >= math.MaxInt64 {
			return nil, false
		}
		return types.Long(int64(x)), true
	case int:
		return types.Long(x), true
	case int64:
		return types.Long(x), true
	case json.Number:
		n, err := x.Int64()
		return types.Long(n), err == nil
	case []string:
		return stringSet(x), true
	case []any:
		ss := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			ss[i] = s
		}
		return stringSet(ss), true
	}
	return nil, false
}

func stringSet(ss []string) types.Set {
	vs := make([]types.Value, len(ss))
	for i, s := range ss {
		vs[i] = types.String(s)
	}
	return types.NewSet(vs...)
}
