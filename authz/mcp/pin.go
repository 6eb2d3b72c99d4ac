package mcp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/tollgate-authz/tollgate/authz/mcp/internal/strictjson"
)

// PinPrefix starts every pin.
const PinPrefix = "sha256:"

// pinMembers are the members of a tool definition a pin covers.
var pinMembers = []string{"name", "description", "inputSchema", "annotations"}

// errNotCanonical is a value RFC 8785 cannot write (a number out of the
// float64 range).
var errNotCanonical = errors.New("mcp: value has no canonical form")

// PinOf returns the pin of one tool definition (a JSON object): "sha256:"
// and the hex SHA-256 of the RFC 8785 (JCS) canonical JSON of an object
// holding only its name, description, inputSchema and annotations members
// (those present). It fails on anything but a strictly valid object.
func PinOf(def []byte) (string, error) {
	v, err := strictjson.Parse(context.Background(), def, strictjson.Limits{MaxDepth: DefaultMaxDepth, MaxValues: DefaultMaxValues})
	if err != nil {
		return "", jsonError(err)
	}
	if v.Kind != strictjson.Object {
		return "", newError(ReasonInvalidRequest, -1, "a tool definition is not a JSON object")
	}
	p := pinOf(&v)
	if p == "" {
		return "", newError(ReasonInvalidJSON, -1, "a number in the tool definition has no canonical form")
	}
	return p, nil
}

// pinOf is PinOf of a parsed object, or "" when it has no canonical form
// (which matches no pin).
func pinOf(t *strictjson.Value) string {
	sub := strictjson.Value{Kind: strictjson.Object}
	for _, m := range t.Members {
		if slices.Contains(pinMembers, m.Key) {
			sub.Members = append(sub.Members, m)
		}
	}
	var sb strings.Builder
	if canon(&sb, &sub) != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(sb.String()))
	return PinPrefix + hex.EncodeToString(sum[:])
}

// canon writes v in RFC 8785 form: no whitespace, members sorted by the
// UTF-16 code units of their keys, numbers as ECMAScript writes them,
// strings with the minimal escapes.
func canon(sb *strings.Builder, v *strictjson.Value) error {
	switch v.Kind {
	case strictjson.Null:
		sb.WriteString("null")
	case strictjson.Bool:
		sb.WriteString(strconv.FormatBool(v.Bool))
	case strictjson.Number:
		f, err := strconv.ParseFloat(v.Text(), 64)
		if err != nil || math.IsInf(f, 0) {
			return errNotCanonical
		}
		sb.WriteString(es6Number(f))
	case strictjson.String:
		canonString(sb, v.Text())
	case strictjson.Array:
		sb.WriteByte('[')
		for i := range v.Elems {
			if i > 0 {
				sb.WriteByte(',')
			}
			if err := canon(sb, &v.Elems[i]); err != nil {
				return err
			}
		}
		sb.WriteByte(']')
	case strictjson.Object:
		return canonObject(sb, v)
	}
	return nil
}

func canonObject(sb *strings.Builder, v *strictjson.Value) error {
	idx := make([]int, len(v.Members))
	keys := make([][]uint16, len(v.Members))
	for i := range v.Members {
		idx[i], keys[i] = i, utf16.Encode([]rune(v.Members[i].Key))
	}
	slices.SortFunc(idx, func(a, b int) int { return slices.Compare(keys[a], keys[b]) })
	sb.WriteByte('{')
	for n, i := range idx {
		if n > 0 {
			sb.WriteByte(',')
		}
		canonString(sb, v.Members[i].Key)
		sb.WriteByte(':')
		if err := canon(sb, &v.Members[i].Val); err != nil {
			return err
		}
	}
	sb.WriteByte('}')
	return nil
}

// canonString escapes only '"', '\\' and the control characters, the
// short forms where JSON has them.
func canonString(sb *strings.Builder, s string) {
	const hexDigits = "0123456789abcdef"
	sb.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c == '\b':
			sb.WriteString(`\b`)
		case c == '\t':
			sb.WriteString(`\t`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\f':
			sb.WriteString(`\f`)
		case c == '\r':
			sb.WriteString(`\r`)
		case c < 0x20:
			sb.WriteString(`\u00`)
			sb.WriteByte(hexDigits[c>>4])
			sb.WriteByte(hexDigits[c&0xF])
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte('"')
}

// es6Number writes f as ECMAScript's Number.prototype.toString does (the
// shortest digits that read back as f), as RFC 8785 requires.
func es6Number(f float64) string {
	if f == 0 {
		return "0"
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±x
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	n, k := x+1, len(digits)
	switch {
	case k <= n && n <= 21:
		return sign + digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return sign + digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return sign + "0." + strings.Repeat("0", -n) + digits
	}
	out := sign + digits[:1]
	if k > 1 {
		out += "." + digits[1:]
	}
	if n-1 >= 0 {
		return out + "e+" + strconv.Itoa(n-1)
	}
	return out + "e" + strconv.Itoa(n-1)
}
