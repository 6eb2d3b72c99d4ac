package mcp

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// rejectCases is shared with FuzzParse as seed corpus.
var rejectCases = []struct {
	name  string
	body  string
	want  error
	index int
}{
	{"too large", `{"jsonrpc":"2.0","method":"ping","id":1,"pad":"` + strings.Repeat("x", 200) + `"}`, ErrTooLarge, -1},
	{"empty body", ``, ErrInvalidJSON, -1},
	{"not json", `hello`, ErrInvalidJSON, -1},
	{"trailing garbage", `{"jsonrpc":"2.0","method":"ping","id":1}x`, ErrInvalidJSON, -1},
	{"two objects", `{"jsonrpc":"2.0","method":"ping","id":1}{"jsonrpc":"2.0","method":"ping","id":2}`, ErrInvalidJSON, -1},
	{"bom", "\xEF\xBB\xBF{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":1}", ErrInvalidJSON, -1},
	{"invalid utf8", "{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"id\":1,\"params\":{\"name\":\"a\xffb\"}}", ErrInvalidJSON, -1},
	{"lone surrogate in tool name", `{"jsonrpc":"2.0","method":"tools/call","id":1,"params":{"name":"a\ud800"}}`, ErrInvalidJSON, -1},
	{"dup top level", `{"jsonrpc":"2.0","method":"ping","method":"tools/call","id":1}`, ErrDuplicateKey, -1},
	{"dup in params", `{"jsonrpc":"2.0","method":"tools/call","id":1,"params":{"name":"safe","name":"rm"}}`, ErrDuplicateKey, -1},
	{"dup in arguments", `{"jsonrpc":"2.0","method":"tools/call","id":1,"params":{"name":"t","arguments":{"p":{"q":1,"q":2}}}}`, ErrDuplicateKey, -1},
	{"dup via unicode escape", `{"jsonrpc":"2.0","method":"tools/call","id":1,"params":{"name":"safe","\u006eame":"rm"}}`, ErrDuplicateKey, -1},
	{"dup via case", `{"jsonrpc":"2.0","method":"tools/call","id":1,"params":{"name":"safe","NAME":"rm"}}`, ErrDuplicateKey, -1},
	{"dup in batch element", `[{"jsonrpc":"2.0","method":"ping","id":1},{"jsonrpc":"2.0","id":2,"id":3,"method":"ping"}]`, ErrDuplicateKey, 1},
	{"too deep", `{"jsonrpc":"2.0","method":"tools/call","id":1,"params":{"name":"t","arguments":{"a":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}}}`, ErrTooDeep, -1},
	{"missing version", `{"method":"ping","id":1}`, ErrBadVersion, -1},
	{"version 1.0", `{"jsonrpc":"1.0","method":"ping","id":1}`, ErrBadVersion, -1},
	{"version number", `{"jsonrpc":2.0,"method":"ping","id":1}`, ErrBadVersion, -1},
	{"missing method", `{"jsonrpc":"2.0","id":1}`, ErrMissingMethod, -1},
	{"method number", `{"jsonrpc":"2.0","method":7,"id":1}`, ErrMissingMethod, -1},
	{"method empty", `{"jsonrpc":"2.0","method":"","id":1}`, ErrMissingMethod, -1},
	{"params string", `{"jsonrpc":"2.0","method":"ping","id":1,"params":"x"}`, ErrBadParams, -1},
	{"params null", `{"jsonrpc":"2.0","method":"ping","id":1,"params":null}`, ErrBadParams, -1},
	{"tools/call no params", `{"jsonrpc":"2.0","method":"tools/call","id":1}`, ErrBadParams, -1},
	{"tools/call array params", `{"jsonrpc":"2.0","method":"tools/call","id":1,"params":["t"]}`, ErrBadParams, -1},
	{"tools/call name number", `{"jsonrpc":"2.0","method":"tools/call","id":1,"params":{"name":1}}`, ErrBadParams, -1},
	{"tools/call empty name", `{"jsonrpc":"2.0","method":"tools/call","id":1,"params":{"name":""}}`, ErrBadParams, -1},
	{"tools/call arguments array", `{"jsonrpc":"2.0","method":"tools/call","id":1,"params":{"name":"t","arguments":[1]}}`, ErrBadParams, -1},
	{"resources/read no uri", `{"jsonrpc":"2.0","method":"resources/read","id":1,"params":{}}`, ErrBadParams, -1},
	{"resources/read uri object", `{"jsonrpc":"2.0","method":"resources/read","id":1,"params":{"uri":{}}}`, ErrBadParams, -1},
	{"prompts/get no name", `{"jsonrpc":"2.0","method":"prompts/get","id":1,"params":{}}`, ErrBadParams, -1},
	{"id object", `{"jsonrpc":"2.0","method":"ping","id":{}}`, ErrBadID, -1},
	{"id array", `{"jsonrpc":"2.0","method":"ping","id":[1]}`, ErrBadID, -1},
	{"id bool", `{"jsonrpc":"2.0","method":"ping","id":true}`, ErrBadID, -1},
	{"empty batch", `[]`, ErrEmptyBatch, -1},
	{"batch too large", `[` + strings.Repeat(`{"jsonrpc":"2.0","method":"ping"},`, 4) + `{"jsonrpc":"2.0","method":"ping"}]`, ErrBatchTooLarge, -1},
	{"scalar body", `42`, ErrInvalidRequest, -1},
	{"batch of numbers", `[1]`, ErrInvalidRequest, 0},
	{"nested batch", `[{"jsonrpc":"2.0","method":"ping","id":1},[]]`, ErrInvalidRequest, 1},
	{"method and result", `{"jsonrpc":"2.0","method":"ping","id":1,"result":{}}`, ErrInvalidRequest, -1},
	{"result and error", `{"jsonrpc":"2.0","id":1,"result":{},"error":{}}`, ErrInvalidRequest, -1},
	{"response without id", `{"jsonrpc":"2.0","result":{}}`, ErrInvalidRequest, -1},
	{"bad version in batch", `[{"jsonrpc":"2.0","method":"ping","id":1},{"method":"ping","id":2}]`, ErrBadVersion, 1},
}

func testOptions() Options { return Options{MaxBytes: 150, MaxDepth: 32, MaxBatch: 4} }

func TestParseRejects(t *testing.T) {
	for _, tt := range rejectCases {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			if !errors.Is(tt.want, ErrTooLarge) {
				opts.MaxBytes = 0
			}
			b, err := Parse([]byte(tt.body), opts)
			if b != nil || !errors.Is(err, tt.want) {
				t.Fatalf("Parse = %v, %v; want error %v", b, err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			if e.Index != tt.index {
				t.Errorf("Index = %d, want %d", e.Index, tt.index)
			}
			if !errors.Is(e.Code.sentinel(), tt.want) || ReasonOf(err) != e.Code {
				t.Errorf("Code %q does not match %v", e.Code, tt.want)
			}
		})
	}
}

func TestErrorMessagesHideValues(t *testing.T) {
	bodies := []string{
		`{"jsonrpc":"2.0","method":"tools/call","id":1,"params":{"name":"t","arguments":{"token":"SECRET","token":"SECRET"}}}`,
		`{"jsonrpc":"2.0","method":"tools/call","id":1,"params":{"name":"t","arguments":"SECRET"}}`,
		`{"jsonrpc":"SECRET","method":"ping"}`,
		`{"jsonrpc":"2.0","method":"ping","id":1} SECRET`,
	}
	for _, body := range bodies {
		_, err := Parse([]byte(body), Options{})
		if err == nil || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("Parse(%s) error = %v; want an error without the value", body, err)
		}
	}
}

func TestErrorNamesLocation(t *testing.T) {
	_, err := Parse([]byte(`{"jsonrpc":"2.0","method":"tools/call","id":1,"params":{"name":"t","arguments":{"a":1,"A":2}}}`), Options{})
	want := `mcp: duplicate_key: key "A" duplicates "a" under case folding at offset 86 ($["params"]["arguments"])`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant     %s", err, want)
	}
}

func TestReasonRPCCode(t *testing.T) {
	tests := []struct {
		reason Reason
		want   int
	}{
		{ReasonTooLarge, CodeParseError},
		{ReasonDuplicateKey, CodeParseError},
		{ReasonBadParams, CodeInvalidParams},
		{ReasonBadID, CodeInvalidRequest},
		{ReasonEmptyBatch, CodeInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(string(tt.reason), func(t *testing.T) {
			if got := tt.reason.RPCCode(); got != tt.want {
				t.Errorf("RPCCode() = %d, want %d", got, tt.want)
			}
		})
	}
	if ReasonOf(errors.New("other")) != "" {
		t.Error("ReasonOf(non-mcp error) is not empty")
	}
}

func TestParseMessages(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Message
	}{
		{"initialize", `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}`,
			Message{ID: raw(`0`), Method: "initialize"}},
		{"initialized notification", `{"jsonrpc":"2.0","method":"notifications/initialized"}`,
			Message{Method: "notifications/initialized", Notification: true}},
		{"ping string id", `{"jsonrpc":"2.0","id":"a\"b","method":"ping"}`, Message{ID: raw(`"a\"b"`), Method: "ping"}},
		{"tools/list", `{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"cursor":"x"}}`,
			Message{ID: raw(`2`), Method: "tools/list"}},
		{"resources/read", `{"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"file:///etc/hosts"}}`,
			Message{ID: raw(`3`), Method: "resources/read", URI: "file:///etc/hosts"}},
		{"prompts/get", `{"jsonrpc":"2.0","id":4,"method":"prompts/get","params":{"name":"review"}}`,
			Message{ID: raw(`4`), Method: "prompts/get", Prompt: "review"}},
		{"tools/call escaped name", `{"jsonrpc":"2.0","id":5,"method":"tools\/call","params":{"name":"dele\u0074e","arguments":null}}`,
			Message{ID: raw(`5`), Method: "tools/call", Tool: "delete"}},
		{"unknown members ignored", `{"jsonrpc":"2.0","id":6,"method":"ping","extra":[1]}`, Message{ID: raw(`6`), Method: "ping"}},
		{"array params", `{"jsonrpc":"2.0","id":7,"method":"custom","params":[1]}`, Message{ID: raw(`7`), Method: "custom"}},
		{"result response", `{"jsonrpc":"2.0","id":"s1","result":{"action":"accept"}}`, Message{ID: raw(`"s1"`), Response: true}},
		{"error response", `{"jsonrpc":"2.0","id":9,"error":{"code":-1,"message":"no"}}`, Message{ID: raw(`9`), Response: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Parse([]byte(" \n"+tt.body+"\r\n"), Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if b.Batch || len(b.Messages) != 1 {
				t.Fatalf("Batch = %v, %d messages; want one message", b.Batch, len(b.Messages))
			}
			assertMessage(t, b.Messages[0], tt.want)
		})
	}
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }

func assertMessage(t *testing.T, got, want Message) {
	t.Helper()
	if string(got.ID) != string(want.ID) || (got.ID == nil) != (want.ID == nil) {
		t.Errorf("ID = %q, want %q", got.ID, want.ID)
	}
	if got.Method != want.Method || got.Notification != want.Notification || got.Response != want.Response {
		t.Errorf("Method/Notification/Response = %q/%v/%v, want %q/%v/%v",
			got.Method, got.Notification, got.Response, want.Method, want.Notification, want.Response)
	}
	if got.Tool != want.Tool || got.URI != want.URI || got.Prompt != want.Prompt {
		t.Errorf("Tool/URI/Prompt = %q/%q/%q, want %q/%q/%q", got.Tool, got.URI, got.Prompt, want.Tool, want.URI, want.Prompt)
	}
	if !got.Arguments.Equal(want.Arguments) {
		t.Errorf("Arguments = %v, want %v", got.Arguments, want.Arguments)
	}
}

func TestParseDoesNotAlias(t *testing.T) {
	body := []byte(`{"jsonrpc":"2.0","id":"abc","method":"tools/call","params":{"name":"t"}}`)
	b, err := Parse(body, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range body {
		body[i] = 'x'
	}
	if m := b.Messages[0]; string(m.ID) != `"abc"` || m.Method != "tools/call" || m.Tool != "t" {
		t.Errorf("message changed with the body: %s %s %s", m.ID, m.Method, m.Tool)
	}
}
