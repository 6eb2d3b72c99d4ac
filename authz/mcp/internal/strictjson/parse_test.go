package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", ``, ErrSyntax},
		{"whitespace only", " \n", ErrSyntax},
		{"bom", "\xEF\xBB\xBF{}", ErrSyntax},
		{"invalid utf8 in string", "{\"a\":\"\xff\"}", ErrSyntax},
		{"overlong utf8", "[\"\xc0\xaf\"]", ErrSyntax},
		{"lone high surrogate", `["\ud800"]`, ErrSyntax},
		{"lone low surrogate", `["\udc00"]`, ErrSyntax},
		{"high then non-low", `["\ud800\u0041"]`, ErrSyntax},
		{"reversed pair", `["\udc00\ud800"]`, ErrSyntax},
		{"trailing garbage", `{} x`, ErrSyntax},
		{"two values", `{}{}`, ErrSyntax},
		{"trailing comma", `[1,]`, ErrSyntax},
		{"leading zero", `[01]`, ErrSyntax},
		{"bare minus", `[-]`, ErrSyntax},
		{"dot no digits", `[1.]`, ErrSyntax},
		{"exp no digits", `[1e+]`, ErrSyntax},
		{"plus sign", `[+1]`, ErrSyntax},
		{"nan", `[NaN]`, ErrSyntax},
		{"single quotes", `['a']`, ErrSyntax},
		{"control char", "[\"a\tb\"]", ErrSyntax},
		{"bad escape", `["\x41"]`, ErrSyntax},
		{"short unicode escape", `["\u00"]`, ErrSyntax},
		{"unterminated string", `["abc`, ErrSyntax},
		{"unquoted key", `{a:1}`, ErrSyntax},
		{"missing colon", `{"a" 1}`, ErrSyntax},
		{"truncated literal", `[tru]`, ErrSyntax},
		{"unclosed object", `{"a":1`, ErrSyntax},
		{"comment", `{} // x`, ErrSyntax},
		{"duplicate", `{"a":1,"a":2}`, ErrDuplicateKey},
		{"duplicate escaped", `{"a":1,"\u0061":2}`, ErrDuplicateKey},
		{"duplicate case", `{"name":1,"Name":2}`, ErrDuplicateKey},
		{"duplicate kelvin", `{"k":1,"\u212a":2}`, ErrDuplicateKey},
		{"duplicate nested", `{"a":[{"b":1,"b":1}]}`, ErrDuplicateKey},
		{"duplicate in large object", largeObject(40, "k7"), ErrDuplicateKey},
		{"duplicate case in large object", largeObject(40, "K39"), ErrDuplicateKey},
		{"too deep", strings.Repeat("[", 5) + strings.Repeat("]", 5), ErrTooDeep},
		{"very deep", strings.Repeat("[", 100000), ErrTooDeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse([]byte(tt.in), 4)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%q) error = %v, want %v", tt.in, err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
		})
	}
}

// largeObject returns an object with keys k0..k(n-1) and then extra.
func largeObject(n int, extra string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		b.WriteString(`"k` + itoa(i) + `":0,`)
	}
	b.WriteString(`"` + extra + `":1}`)
	return b.String()
}

func itoa(i int) string { return strings.TrimSpace(string(mustJSON(i))) }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"object", ` {"a": [1, -0.5e+10, "x\n\u00e9\ud83d\ude00", true, false, null], "b": {}} `},
		{"case-distinct keys differ", `{"a":1,"b":2,"ab":3}`},
		{"max depth", `[[[[1]]]]`},
		{"scalar", `"s"`},
		{"escaped slash", `["\/"]`},
		{"non-duplicate large", largeObject(40, "other")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := parse([]byte(tt.in), 4)
			if err != nil {
				t.Fatalf("Parse(%q) = %v", tt.in, err)
			}
			assertSameAsStdlib(t, []byte(tt.in), v)
		})
	}
}

func TestErrorLocates(t *testing.T) {
	_, err := parse([]byte(`{"params":{"arguments":[0,{"x":1,"X":2}]}}`), 10)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v", err)
	}
	if got, want := e.Pointer(), `$["params"]["arguments"][1]`; got != want {
		t.Errorf("Pointer() = %s, want %s", got, want)
	}
	if e.Offset != 33 {
		t.Errorf("Offset = %d, want 33", e.Offset)
	}
}

func TestQuoteKeyBounds(t *testing.T) {
	long := strings.Repeat("é", 100)
	q := QuoteKey(long)
	if len(q) > maxKeyInError+8 || !strings.HasSuffix(q, "...") {
		t.Errorf("QuoteKey(long) = %q", q)
	}
	if QuoteKey("a\x00") != `"a\x00"` {
		t.Errorf("QuoteKey did not escape: %s", QuoteKey("a\x00"))
	}
}

func TestFoldMatchesEqualFold(t *testing.T) {
	pairs := [][2]string{{"a", "A"}, {"k", "\u212a"}, {"ß", "ẞ"}, {"σ", "ς"}, {"a", "b"}, {"ab", "a"}}
	for _, p := range pairs {
		if got, want := fold(p[0]) == fold(p[1]), strings.EqualFold(p[0], p[1]); got != want {
			t.Errorf("fold(%q)==fold(%q) is %v, EqualFold is %v", p[0], p[1], got, want)
		}
	}
}

// toAny converts v to what encoding/json decodes with UseNumber.
func toAny(v *Value) any {
	switch v.Kind {
	case Bool:
		return v.Bool
	case Number:
		return json.Number(v.Text())
	case String:
		return v.Text()
	case Array:
		out := make([]any, len(v.Elems))
		for i := range v.Elems {
			out[i] = toAny(&v.Elems[i])
		}
		return out
	case Object:
		out := make(map[string]any, len(v.Members))
		for i := range v.Members {
			out[v.Members[i].Key] = toAny(&v.Members[i].Val)
		}
		return out
	}
	return nil
}

func assertSameAsStdlib(t *testing.T, data []byte, v Value) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var want any
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("accepted %q but encoding/json rejects it: %v", data, err)
	}
	if got := toAny(&v); !reflect.DeepEqual(got, want) {
		t.Fatalf("parsed %q as %#v, encoding/json as %#v", data, got, want)
	}
	if !bytes.Equal(bytes.TrimSpace(data), v.Raw) {
		t.Fatalf("Raw = %q, want %q", v.Raw, bytes.TrimSpace(data))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e-3,"\u00e9"],"b":{"c":null}}`, `{"a":1,"A":2}`, `["\ud800"]`, `[[[[[]]]]]`, "\xEF\xBB\xBF{}", `"\ud83d\ude00"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := parse(data, 8)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %#v", err)
			}
			return
		}
		assertSameAsStdlib(t, data, v)
		assertTextAgrees(t, &v)
	})
}

// assertTextAgrees holds TextIs and TextLen to Text, and Text to a fresh
// copy, for every string and number in v.
func assertTextAgrees(t *testing.T, v *Value) {
	t.Helper()
	switch v.Kind {
	case String, Number:
		text := v.Text()
		if v.TextLen() != len(text) || v.TextIs(text) != (v.Kind == String) || v.TextIs(text+"x") {
			t.Fatalf("%s %q: TextLen %d, TextIs %v", v.Kind, text, v.TextLen(), v.TextIs(text))
		}
		at := 0 // where the text starts in Raw
		if v.Kind == String {
			at = 1
		}
		if len(text) > 0 && at < len(v.Raw) && unsafe.StringData(text) == &v.Raw[at] {
			t.Fatalf("Text aliases the input")
		}
	}
	for i := range v.Elems {
		assertTextAgrees(t, &v.Elems[i])
	}
	for i := range v.Members {
		assertTextAgrees(t, &v.Members[i].Val)
	}
}

func TestTextAgrees(t *testing.T) {
	for _, s := range []string{`["", "abc", "a\"b", "\u00e9x", 0, -1.5e3, true, null, {"k": ["\n"]}]`} {
		v, err := parse([]byte(s), 8)
		if err != nil {
			t.Fatal(err)
		}
		assertTextAgrees(t, &v)
		if got := v.Elems[2].Text(); got != `a"b` {
			t.Errorf("escaped text %q", got)
		}
		if got := v.Elems[5].Text(); got != "-1.5e3" {
			t.Errorf("number literal %q", got)
		}
		if v.Elems[6].Text() != "" || v.Elems[6].TextIs("") || (*Value)(nil).TextIs("") {
			t.Error("a non-string has text")
		}
	}
}
