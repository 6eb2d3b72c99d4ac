package mcp

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	segjson "github.com/segmentio/encoding/json"
)

// sdkUnmarshal decodes as the go-sdk's internal/json.Unmarshal does:
// segmentio/encoding with case-sensitive struct fields (the fix for
// CVE-2026-27896).
func sdkUnmarshal(data []byte, v any) error {
	dec := segjson.NewDecoder(bytes.NewReader(data))
	dec.DontMatchCaseInsensitiveStructFields()
	return dec.Decode(v)
}

// sdkView is the official Go MCP SDK's (v1.8.0) reading of one message:
// jsonrpc.DecodeMessage, then the params of tools/call, prompts/get and
// resources/read decoded into the SDK's own types as its server does. ok
// is false when the SDK refuses the message (it then does nothing with it).
func sdkView(t *testing.T, raw []byte) (v view, ok bool) {
	msg, err := jsonrpc.DecodeMessage(raw)
	if err != nil {
		return view{}, false
	}
	switch msg := msg.(type) {
	case *jsonrpc.Response:
		return view{kind: "response", id: idKey(msg.ID.Raw())}, true
	case *jsonrpc.Request:
		v = view{kind: "request", method: msg.Method, id: idKey(msg.ID.Raw())}
		if !msg.ID.IsValid() {
			v.kind = "notification"
		}
		return v, sdkParams(&v, msg.Params)
	}
	t.Fatalf("DecodeMessage returned %T", msg)
	return view{}, false
}

func sdkParams(v *view, params json.RawMessage) bool {
	var err error
	switch v.method {
	case "tools/call":
		var p sdk.CallToolParamsRaw
		if err = sdkUnmarshal(params, &p); err == nil {
			v.name, v.args, err = p.Name, nil, nil
			var args any
			if len(p.Arguments) > 0 {
				err = decodeNumbers(p.Arguments, &args)
			}
			v.args = argsValue(args)
		}
	case "prompts/get":
		var p sdk.GetPromptParams
		if err = sdkUnmarshal(params, &p); err == nil {
			v.name, v.args = p.Name, argsValue(stringArgs(p.Arguments))
		}
	case "resources/read", "resources/subscribe", "resources/unsubscribe":
		var p struct {
			URI string `json:"uri"`
		}
		if err = sdkUnmarshal(params, &p); err == nil {
			v.uri = p.URI
		}
	}
	return err == nil
}

// decodeNumbers decodes a tool's raw arguments as a handler that keeps
// numbers exact would (segmentio, as the SDK's typed handlers do).
func decodeNumbers(data []byte, v any) error {
	dec := segjson.NewDecoder(bytes.NewReader(data))
	dec.DontMatchCaseInsensitiveStructFields()
	dec.UseNumber()
	return dec.Decode(v)
}

func stringArgs(m map[string]string) any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, s := range m {
		out[k] = s
	}
	return out
}

// FuzzDifferentialGoSDK fails when Tollgate accepts a body that the
// official Go MCP SDK reads differently: another method, id, kind, tool,
// prompt or resource, or other arguments.
func FuzzDifferentialGoSDK(f *testing.F) {
	for _, s := range differentialSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := Parse(body, fuzzOptions())
		if err != nil {
			return
		}
		for i, raw := range splitBody(t, body, b) {
			theirs, ok := sdkView(t, raw)
			if !ok {
				continue // the SDK refuses it: it acts on nothing
			}
			if ours := tollgateView(t, &b.Messages[i]); !ours.equal(theirs) {
				t.Fatalf("message %d of %q:\n tollgate sees %v\n go-sdk sees   %v", i, body, ours, theirs)
			}
		}
	})
}
