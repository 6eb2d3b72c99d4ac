package mcp

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// JSON-RPC 2.0 error codes for answers to denied or rejected messages.
// -32000 to -32099 are reserved for implementation-defined server errors;
// Tollgate uses -32001 for "permission denied".
const (
	CodeParseError       = -32700 // the body is not acceptable JSON
	CodeInvalidRequest   = -32600 // the body is not a valid JSON-RPC request
	CodeInvalidParams    = -32602 // the params do not fit the method
	CodePermissionDenied = -32001 // policy denied the call
)

// maxMessage bounds the error message text, in bytes.
const maxMessage = 256

// fallback is answered if encoding ever fails; it is always valid JSON.
const fallback = `{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"internal error"}}`

type rpcResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Error   rpcError        `json:"error"`
}

type rpcError struct {
	Code    int        `json:"code"`
	Message string     `json:"message"`
	Data    *errorData `json:"data,omitempty"`
}

type errorData struct {
	DecisionID string `json:"decision_id"`
}

// ErrorResponse returns a JSON-RPC 2.0 error object for the request with
// the given id (nil, or anything but a JSON string, number or null, gives
// "id":null). message must be a fixed text: never echo values from the
// request. It is truncated to 256 bytes. data.decision_id is set when
// decisionID is not empty. The result is always valid JSON.
func ErrorResponse(id json.RawMessage, code int, message, decisionID string) []byte {
	return marshal(newResponse(id, code, message, decisionID))
}

// BatchErrorResponse answers a batch: a JSON array with one error object
// per non-nil id (nil entries are notifications, which get no answer; pass
// Body.RequestIDs). When no id is left, JSON-RPC would send no body, but
// since the batch is denied it returns a single error object with id null.
func BatchErrorResponse(ids []json.RawMessage, code int, message, decisionID string) []byte {
	var list []rpcResponse
	for _, id := range ids {
		if id != nil {
			list = append(list, newResponse(id, code, message, decisionID))
		}
	}
	if len(list) == 0 {
		return ErrorResponse(nil, code, message, decisionID)
	}
	return marshal(list)
}

func newResponse(id json.RawMessage, code int, message, decisionID string) rpcResponse {
	r := rpcResponse{
		JSONRPC: "2.0",
		ID:      safeID(id),
		Error:   rpcError{Code: code, Message: truncate(message, maxMessage)},
	}
	if decisionID != "" {
		r.Error.Data = &errorData{DecisionID: truncate(decisionID, maxMessage)}
	}
	return r
}

func marshal(v any) []byte {
	out, err := json.Marshal(v)
	if err != nil {
		return []byte(fallback)
	}
	return out
}

// safeID returns id when it is a single JSON string, number or null, and
// null otherwise.
func safeID(id json.RawMessage) json.RawMessage {
	id = bytes.TrimSpace(id)
	if len(id) == 0 || !json.Valid(id) {
		return json.RawMessage("null")
	}
	switch c := id[0]; {
	case c == '"', c == '-', c >= '0' && c <= '9':
		return id
	}
	return json.RawMessage("null")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
