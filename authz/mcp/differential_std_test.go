package mcp

import (
	"bytes"
	"encoding/json"
	"testing"
)

// mcpGoMessage is the envelope as mcp-go's server reads it: encoding/json
// into a struct, so member names match case-insensitively and the last of
// two equal names wins.
type mcpGoMessage struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      any             `json:"id,omitempty"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
	Result  any             `json:"result,omitempty"`
	Error   any             `json:"error,omitempty"`
}

// mcpGoParams are the params members of tools/call, prompts/get and
// resources/read in mcp-go.
type mcpGoParams struct {
	Name      string `json:"name"`
	URI       string `json:"uri"`
	Arguments any    `json:"arguments"`
}

func stdDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// stdView is a plain encoding/json server's reading (mcp-go's order of
// checks: a response has an id and a result or error, a notification has
// no id).
func stdView(raw []byte) (view, bool) {
	var m mcpGoMessage
	if err := stdDecode(raw, &m); err != nil || m.JSONRPC != "2.0" {
		return view{}, false
	}
	v := view{kind: "request", method: m.Method, id: idKey(m.ID)}
	switch {
	case m.ID != nil && (m.Result != nil || m.Error != nil):
		return view{kind: "response", id: v.id}, true
	case m.ID == nil:
		v.kind = "notification"
	}
	switch m.Method {
	case "tools/call", "prompts/get", "resources/read", "resources/subscribe", "resources/unsubscribe":
		var p mcpGoParams
		if err := stdDecode(m.Params, &p); err != nil {
			return view{}, false
		}
		v.uri = p.URI
		if hasArguments(m.Method) {
			v.name, v.args = p.Name, argsValue(p.Arguments)
		}
	}
	return v, true
}

// FuzzDifferentialEncodingJSON fails when Tollgate accepts a body that a
// Go MCP server decoding with encoding/json (mcp-go, the go-sdk before its
// CVE-2026-27896 fix) reads differently.
func FuzzDifferentialEncodingJSON(f *testing.F) {
	for _, s := range differentialSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := Parse(body, fuzzOptions())
		if err != nil {
			return
		}
		for i, raw := range splitBody(t, body, b) {
			theirs, ok := stdView(raw)
			if !ok {
				continue
			}
			if ours := tollgateView(t, &b.Messages[i]); !ours.equal(theirs) {
				t.Fatalf("message %d of %q:\n tollgate sees %v\n encoding/json sees %v", i, body, ours, theirs)
			}
		}
	})
}
