package mcp

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/cedar-policy/cedar-go/types"
)

// taggable reports a key encoding/json accepts as a struct field tag.
func taggable(k string) bool {
	if k == "" || k == "-" {
		return false
	}
	for _, c := range k {
		if !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c) && !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

// boundArguments decodes args with encoding/json into a struct whose
// fields are tagged with the given (folded) names, as a typed handler
// written for those names binds them, and returns each field's value as
// Parse would give it to policy.
func boundArguments(t *testing.T, args []byte, names []string) map[string]types.Value {
	fields := make([]reflect.StructField, len(names))
	for i, n := range names {
		fields[i] = reflect.StructField{Name: "F" + strconv.Itoa(i), Type: reflect.TypeFor[json.RawMessage](),
			Tag: reflect.StructTag(`json:"` + n + `"`)}
	}
	v := reflect.New(reflect.StructOf(fields))
	if err := json.Unmarshal(args, v.Interface()); err != nil {
		t.Fatalf("encoding/json refuses arguments Parse accepted: %v", err)
	}
	out := map[string]types.Value{}
	for i, n := range names {
		raw := v.Elem().Field(i).Interface().(json.RawMessage)
		if len(raw) == 0 {
			continue
		}
		b, err := Parse([]byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"k":`+string(raw)+`}}}`),
			Options{FoldArgumentNames: true, MaxArgumentDepth: 64})
		if err != nil {
			t.Fatalf("re-parsing the bound value of %q: %v", n, err)
		}
		if val, ok := b.Messages[0].Arguments.Get("k"); ok {
			out[n] = val
		}
	}
	return out
}

// FuzzFoldArgumentsDifferential fails when, on an argument_names: fold
// route, policy would see another value under a folded argument name than
// a server binding that name with encoding/json (case-insensitive struct
// fields: mcp-go's typed handlers) reads.
func FuzzFoldArgumentsDifferential(f *testing.F) {
	for _, s := range []string{`{"repo":"a"}`, `{"Repo":"a","x":1}`, `{"id":"evil","\u0130d":"ok"}`, `{"\u212aind":{"A":[1]}}`, `{"ſ":null}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, args string) {
		body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":` + args + `}}`
		b, err := Parse([]byte(body), Options{FoldArgumentNames: true})
		if err != nil || b.Messages[0].Arguments.Len() == 0 {
			return
		}
		var names []string
		for k := range b.Messages[0].Arguments.All() {
			if taggable(string(k)) {
				names = append(names, string(k))
			}
		}
		bound := boundArguments(t, []byte(strings.TrimSpace(args)), names)
		for _, n := range names {
			ours, _ := b.Messages[0].Arguments.Get(types.String(n))
			if theirs, ok := bound[n]; !ok || !ours.Equal(theirs) {
				t.Fatalf("arguments %s: policy sees %s = %v, encoding/json binds %v", args, n, ours, theirs)
			}
		}
	})
}
