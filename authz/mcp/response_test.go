package mcp

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestErrorResponse(t *testing.T) {
	tests := []struct {
		name       string
		id         json.RawMessage
		code       int
		message    string
		decisionID string
		want       string
	}{
		{"number id", raw(`7`), CodePermissionDenied, "permission denied", "d-1",
			`{"jsonrpc":"2.0","id":7,"error":{"code":-32001,"message":"permission denied","data":{"decision_id":"d-1"}}}`},
		{"string id", raw(`"a\"b"`), CodePermissionDenied, "permission denied", "d-1",
			`{"jsonrpc":"2.0","id":"a\"b","error":{"code":-32001,"message":"permission denied","data":{"decision_id":"d-1"}}}`},
		{"nil id", nil, CodeParseError, "parse error", "",
			`{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}`},
		{"object id becomes null", raw(`{"x":1}`), CodeInvalidRequest, "invalid request", "",
			`{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`},
		{"invalid id becomes null", raw(`1 2`), CodeInvalidRequest, "invalid request", "",
			`{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`},
		{"bool id becomes null", raw(`true`), CodeInvalidRequest, "m", "",
			`{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"m"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ErrorResponse(tt.id, tt.code, tt.message, tt.decisionID)
			if string(got) != tt.want {
				t.Errorf("ErrorResponse = %s\nwant            %s", got, tt.want)
			}
		})
	}
}

func TestErrorResponseBoundsMessage(t *testing.T) {
	out := ErrorResponse(raw(`1`), CodePermissionDenied, strings.Repeat("é", 300)+"\xff", "")
	var r rpcResponse
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("invalid JSON %s: %v", out, err)
	}
	if len(r.Error.Message) > maxMessage {
		t.Errorf("message is %d bytes, want at most %d", len(r.Error.Message), maxMessage)
	}
}

func TestBatchErrorResponse(t *testing.T) {
	tests := []struct {
		name string
		ids  []json.RawMessage
		want string
	}{
		{"requests only", []json.RawMessage{raw(`1`), nil, raw(`"x"`)},
			`[{"jsonrpc":"2.0","id":1,"error":{"code":-32001,"message":"denied","data":{"decision_id":"d"}}},` +
				`{"jsonrpc":"2.0","id":"x","error":{"code":-32001,"message":"denied","data":{"decision_id":"d"}}}]`},
		{"all notifications", []json.RawMessage{nil, nil},
			`{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"denied","data":{"decision_id":"d"}}}`},
		{"no ids", nil,
			`{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"denied","data":{"decision_id":"d"}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BatchErrorResponse(tt.ids, CodePermissionDenied, "denied", "d"); string(got) != tt.want {
				t.Errorf("BatchErrorResponse = %s\nwant %s", got, tt.want)
			}
		})
	}
}
