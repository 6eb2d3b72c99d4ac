package mcp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// view is what an MCP server acts on in one message. The differential fuzz
// targets fail when Tollgate accepts a body and a real consumer's view of
// any message differs from Tollgate's.
type view struct {
	kind   string // request, notification or response
	method string
	id     string // "s:<string>", "n:<integer>" or "" when absent
	name   string // params.name of tools/call and prompts/get
	uri    string // params.uri of resources/*
	args   types.Value
}

func (v view) String() string {
	return fmt.Sprintf("{%s %q id=%s name=%q uri=%q args=%v}", v.kind, v.method, v.id, v.name, v.uri, v.args)
}

func (v view) equal(o view) bool {
	return v.kind == o.kind && v.method == o.method && v.id == o.id && v.name == o.name && v.uri == o.uri &&
		(v.args == nil) == (o.args == nil) && (v.args == nil || v.args.Equal(o.args))
}

// tollgateView is Tollgate's reading of m.
func tollgateView(t *testing.T, m *Message) view {
	v := view{kind: "request", method: m.Method, name: m.Tool + m.Prompt, uri: m.URI}
	switch {
	case m.Response:
		v.kind = "response"
	case m.Notification:
		v.kind = "notification"
	}
	if m.ID != nil {
		var id any
		dec := json.NewDecoder(bytes.NewReader(m.ID))
		dec.UseNumber()
		if err := dec.Decode(&id); err != nil {
			t.Fatalf("id %s does not decode: %v", m.ID, err)
		}
		v.id = idKey(id)
	}
	if hasArguments(m.Method) {
		v.args = m.Arguments
	}
	return v
}

func hasArguments(method string) bool { return method == "tools/call" || method == "prompts/get" }

// idKey writes a decoded id (string, json.Number, float64 or int64).
func idKey(id any) string {
	switch id := id.(type) {
	case string:
		return "s:" + id
	case json.Number:
		return "n:" + id.String()
	case int64:
		return "n:" + strconv.FormatInt(id, 10)
	case float64:
		return "n:" + strconv.FormatFloat(id, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprintf("?%T", id)
}

// argsValue converts arguments as a consumer decoded them (with UseNumber)
// by the rules of package mcp, so that equal JSON gives equal Cedar values.
func argsValue(a any) types.Value {
	switch a := a.(type) {
	case nil:
		return types.NewRecord(nil)
	case map[string]any:
		return anyValue(a)
	}
	return types.String(fmt.Sprintf("not an object: %T", a))
}

func anyValue(a any) types.Value {
	switch a := a.(type) {
	case bool:
		return types.Boolean(a)
	case string:
		return types.String(a)
	case json.Number:
		return numberValue(a.String())
	case []any:
		var elems []types.Value
		for _, e := range a {
			if e != nil {
				elems = append(elems, anyValue(e))
			}
		}
		return types.NewSet(elems...)
	case map[string]any:
		m := types.RecordMap{}
		for k, v := range a {
			if v != nil {
				m[types.String(k)] = anyValue(v)
			}
		}
		return types.NewRecord(m)
	}
	return types.String(fmt.Sprintf("unexpected %T", a))
}

// splitBody splits an accepted body into its messages as encoding/json
// reads it (strictjson bodies are valid JSON, so this cannot disagree).
func splitBody(t *testing.T, body []byte, b *Body) []json.RawMessage {
	if !b.Batch {
		return []json.RawMessage{body}
	}
	var msgs []json.RawMessage
	if err := json.Unmarshal(body, &msgs); err != nil || len(msgs) != len(b.Messages) {
		t.Fatalf("accepted batch that encoding/json splits into %d messages (%v): %q", len(msgs), err, body)
	}
	return msgs
}

// differentialSeeds are bodies with every trick of the class: case and
// Unicode-fold variants of protocol members, control characters in keys,
// ids of every type, BOM, whitespace, trailing data, duplicate keys,
// invalid UTF-8 and lone surrogates.
func differentialSeeds() []string {
	seeds := []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"deploy","arguments":{"repo":"prod-db","n":[1,2.5,1e2,"x",{"b":null}]}}}`,
		`[{"jsonrpc":"2.0","id":"a","method":"resources/read","params":{"uri":"file:///x"}},{"jsonrpc":"2.0","method":"notifications/initialized"}]`,
		`{"jsonrpc":"2.0","id":"p","method":"prompts/get","params":{"name":"\u0070","arguments":{"k":"v"}}}`,
		`{"jsonrpc":"2.0","id":1,"result":{}}`,
		`{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"m"}}`,
		` {"jsonrpc" : "2.0", "id" : -7, "method" : "ping"} `,
		"\xEF\xBB\xBF{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
		`{"jsonrpc":"2.0","id":1,"method":"ping"} {}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","name":"b"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a\ud800"}}`,
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"a\xff\"}}",
		`{"jsonrpc":"2.0","id":1.0,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":null,"method":"tools/call","params":{"name":"x"}}`,
		`{"jsonrpc":"2.0","id":true,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"Repo":"a","repo":"b"}}}`,
	}
	for _, c := range memberCases {
		seeds = append(seeds, c.body)
	}
	for _, c := range rejectCases {
		seeds = append(seeds, c.body)
	}
	return seeds
}

// fuzzOptions are the limits the differential targets parse with.
func fuzzOptions() Options { return Options{MaxDepth: 16, MaxBatch: 8} }
