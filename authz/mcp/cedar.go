package mcp

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/mcp/internal/strictjson"
)

// arguments converts params.arguments to a Cedar record. Absent or null
// arguments give an empty record; any other non-object is bad_params, and
// arguments nested deeper than maxDepth (the arguments object is 1) are
// too_deep.
func arguments(params *strictjson.Value, index int, opts Options) (types.Record, error) {
	maxDepth := opts.MaxArgumentDepth
	args := params.Lookup("arguments")
	if args == nil || args.Kind == strictjson.Null {
		return types.Record{}, nil
	}
	if args.Kind != strictjson.Object {
		return types.Record{}, newError(ReasonBadParams, index, `"params.arguments" must be an object, got %s`, args.Kind)
	}
	if d := depth(args, maxDepth); d > maxDepth {
		return types.Record{}, newError(ReasonTooDeep, index, `"params.arguments" nests more than %d arrays/objects deep`, maxDepth)
	}
	return converter{fold: opts.FoldArgumentNames}.top(args, opts.ReadArgument), nil
}

// depth returns the nesting depth of v's containers (a scalar is 0),
// stopping once it exceeds limit.
func depth(v *strictjson.Value, limit int) int {
	if limit < 0 || (v.Kind != strictjson.Array && v.Kind != strictjson.Object) {
		return 0
	}
	deepest := 0
	for i := range v.Elems {
		deepest = max(deepest, depth(&v.Elems[i], limit-1))
	}
	for i := range v.Members {
		deepest = max(deepest, depth(&v.Members[i].Val, limit-1))
	}
	return deepest + 1
}

// converter turns JSON values into Cedar values; fold writes every object
// key in its folded form (see FoldName).
type converter struct{ fold bool }

// cedarValue converts a JSON value; ok is false for null, which has no
// Cedar counterpart and is omitted.
func (c converter) cedarValue(v *strictjson.Value) (val types.Value, ok bool) {
	switch v.Kind {
	case strictjson.Bool:
		return types.Boolean(v.Bool), true
	case strictjson.String:
		return types.String(v.Text()), true
	case strictjson.Number:
		return numberValue(v.Text()), true
	case strictjson.Array:
		elems := make([]types.Value, 0, len(v.Elems))
		for i := range v.Elems {
			if e, ok := c.cedarValue(&v.Elems[i]); ok {
				elems = append(elems, e)
			}
		}
		return types.NewSet(elems...), true
	case strictjson.Object:
		return c.record(v), true
	}
	return nil, false
}

func (c converter) record(v *strictjson.Value) types.Record { return c.top(v, nil) }

// top converts an object, leaving out the members (by their names as
// policy sees them) read reports false for; nil reads every member.
func (c converter) top(v *strictjson.Value, read func(name string) bool) types.Record {
	m := make(types.RecordMap, len(v.Members))
	for i := range v.Members {
		key := v.Members[i].Key
		if c.fold {
			key = FoldName(key)
		}
		if read != nil && !read(key) {
			continue
		}
		if val, ok := c.cedarValue(&v.Members[i].Val); ok {
			m[types.String(key)] = val
		}
	}
	return types.NewRecord(m)
}

// FoldName returns the form of an object key that Options.FoldArgumentNames
// gives policy: each rune replaced by the lower case of the smallest rune
// of its Unicode simple case-folding orbit. Two keys that encoding/json
// would match to the same struct field (bytes.EqualFold: "Repo", "REPO",
// "repo"; "ſ" and "s"; the Kelvin sign and "k") fold to the same name,
// and two keys it would not match never do: a rune whose lower case lies
// outside its orbit (U+0130 İ, which lowers to an ASCII i) stays as it is.
func FoldName(s string) string {
	return strings.Map(func(r rune) rune {
		for {
			r2 := unicode.SimpleFold(r)
			if r2 <= r {
				if l := unicode.ToLower(r2); strings.EqualFold(string(l), string(r2)) {
					return l
				}
				return r2
			}
			r = r2
		}
	}, s)
}

// maxExponent bounds the exponent of a number literal; beyond it, a
// non-zero value is neither a Long nor a decimal.
const maxExponent = 1000

// numberValue converts an exact JSON number literal: an integral value
// within int64 becomes a Long (whatever its spelling: 100, 1e2, 100.0),
// a value with at most four decimal places within decimal range becomes a
// decimal, and anything else the String of the literal.
func numberValue(lit string) types.Value {
	neg, digits, exp, ok := splitNumber(lit)
	switch {
	case !ok:
		return types.String(lit)
	case digits == "":
		return types.Long(0)
	case exp >= 0 && len(digits)+exp <= 19:
		if n, err := strconv.ParseInt(neg+digits+strings.Repeat("0", exp), 10, 64); err == nil {
			return types.Long(n)
		}
	case exp < 0 && exp >= -4 && len(digits) <= 19:
		if n, err := strconv.ParseInt(neg+digits, 10, 64); err == nil {
			if d, err := types.NewDecimal(n, exp); err == nil {
				return d
			}
		}
	}
	return types.String(lit)
}

// splitNumber writes a valid JSON number literal as sign, digits and exp
// with value sign·digits·10^exp, digits having no leading or trailing
// zeros ("" for zero). ok is false when the exponent is out of bounds for
// a non-zero value.
func splitNumber(lit string) (sign, digits string, exp int, ok bool) {
	if strings.HasPrefix(lit, "-") {
		sign, lit = "-", lit[1:]
	}
	mant, expText, hasExp := strings.Cut(strings.ToLower(lit), "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	digits = strings.TrimLeft(intPart+frac, "0")
	trimmed := strings.TrimRight(digits, "0")
	if trimmed == "" {
		return "", "", 0, true
	}
	if hasExp {
		e, err := strconv.Atoi(expText)
		if err != nil || e > maxExponent || e < -maxExponent {
			return "", "", 0, false
		}
		exp = e
	}
	exp += len(digits) - len(trimmed) - len(frac)
	return sign, trimmed, exp, true
}
