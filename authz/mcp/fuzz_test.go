package mcp

import (
	"encoding/json"
	"testing"
)

// stdMessage is how a Go tool server using encoding/json would read a
// message (struct fields match keys case-insensitively, last one wins).
type stdMessage struct {
	Method string `json:"method"`
	Params struct {
		Name string `json:"name"`
		URI  string `json:"uri"`
	} `json:"params"`
}

func FuzzParse(f *testing.F) {
	for _, tt := range rejectCases {
		f.Add([]byte(tt.body))
	}
	f.Add([]byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"a":[1,2.5,"x",{"b":null}]}}}`))
	f.Add([]byte(`[{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///x"}},{"jsonrpc":"2.0","method":"notifications/initialized"}]`))
	f.Add([]byte(`{"jsonrpc":"2.0","id":"p","method":"prompts/get","params":{"name":"\u0070"}}`))
	f.Add([]byte(`{"jsonrpc":"2.0","id":1,"result":{}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := Parse(body, Options{MaxDepth: 16, MaxBatch: 8})
		checkErrorResponses(t, b, err)
		if err != nil {
			return
		}
		var msgs []json.RawMessage
		if b.Batch {
			if json.Unmarshal(body, &msgs) != nil {
				t.Fatalf("accepted batch that encoding/json rejects: %q", body)
			}
		} else {
			msgs = []json.RawMessage{body}
		}
		for i := range b.Messages {
			crossCheck(t, msgs[i], &b.Messages[i])
		}
	})
}

// crossCheck proves there is no parser differential with encoding/json on
// the fields policy decides on.
func crossCheck(t *testing.T, body json.RawMessage, m *Message) {
	t.Helper()
	var std stdMessage
	// Type errors (e.g. array params) are fine: the fields still decode.
	_ = json.Unmarshal(body, &std)
	if std.Method != m.Method {
		t.Fatalf("method: we see %q, encoding/json sees %q in %s", m.Method, std.Method, body)
	}
	name := m.Tool + m.Prompt
	if (m.Tool != "" || m.Prompt != "") && std.Params.Name != name {
		t.Fatalf("name: we see %q, encoding/json sees %q in %s", name, std.Params.Name, body)
	}
	if m.URI != "" && std.Params.URI != m.URI {
		t.Fatalf("uri: we see %q, encoding/json sees %q in %s", m.URI, std.Params.URI, body)
	}
	tool, err := json.Marshal(m.Tool)
	if err != nil || !json.Valid(tool) {
		t.Fatalf("tool name %q does not re-encode: %v", m.Tool, err)
	}
}

func checkErrorResponses(t *testing.T, b *Body, err error) {
	t.Helper()
	if err != nil {
		if ReasonOf(err) == "" || b != nil {
			t.Fatalf("Parse error %v without a reason (or with a body)", err)
		}
		if out := ErrorResponse(nil, ReasonOf(err).RPCCode(), err.Error(), "d"); !json.Valid(out) {
			t.Fatalf("ErrorResponse is not valid JSON: %s", out)
		}
		return
	}
	for _, m := range b.Messages {
		if out := ErrorResponse(m.ID, CodePermissionDenied, m.Tool, "d"); !json.Valid(out) {
			t.Fatalf("ErrorResponse is not valid JSON: %s", out)
		}
	}
	if out := BatchErrorResponse(b.RequestIDs(), CodePermissionDenied, "denied", "d"); !json.Valid(out) {
		t.Fatalf("BatchErrorResponse is not valid JSON: %s", out)
	}
}
