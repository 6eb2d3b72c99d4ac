package mcp

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/tollgate-authz/tollgate/authz/mcp/internal/strictjson"
)

// envelopeMembers are the members of a JSON-RPC 2.0 message.
var envelopeMembers = []string{"jsonrpc", "id", "method", "params", "result", "error"}

// paramsMembers are the params members the MCP specification defines for
// the methods a client sends (2025-11-25 and earlier).
var paramsMembers = []string{
	"name", "arguments", "uri", "_meta", "cursor", "level", "ref", "argument", "context",
	"protocolVersion", "capabilities", "clientInfo", "progressToken", "progress", "total",
	"message", "requestId", "reason", "task", "taskId", "ttl", "inputResponses", "requestState",
}

// exactMembers refuses a member of v whose name equals a protocol member
// under the case folding encoding/json applies to struct fields
// (bytes.EqualFold: "Method", "paramſ", "tas\u212a") without being spelled
// exactly so. A Go server decoding with encoding/json reads such a member
// as the protocol member, while Tollgate's exact lookup would not see it.
// Keys with control characters never get here: strictjson refuses them.
func exactMembers(v *strictjson.Value, known []string, where string, index int) error {
	for i := range v.Members {
		key := v.Members[i].Key
		if slices.Contains(known, key) {
			continue
		}
		for _, k := range known {
			if strings.EqualFold(k, key) {
				return newError(ReasonAmbiguousMember, index, "member %s is not spelled %q, but a case-insensitive decoder reads it as %s%s",
					strictjson.QuoteKey(key), k, where, k)
			}
		}
	}
	return nil
}

// maxSafeID is the largest integer id every consumer reads exactly: the
// go-sdk decodes a number id through float64.
const maxSafeID = 1<<53 - 1

// validID accepts the id types MCP allows: a string, or an integer written
// as such (no fraction or exponent, no -0) within ±(2^53-1). null is
// refused: MCP forbids it, and the go-sdk reads "id":null as a
// notification while JSON-RPC calls it a request.
func validID(id *strictjson.Value) bool {
	switch id.Kind {
	case strictjson.String:
		return true
	case strictjson.Number:
		lit := id.Text()
		digits := strings.TrimPrefix(lit, "-")
		if digits == "" || len(digits) > 16 || strings.ContainsAny(digits, ".eE") || lit == "-0" {
			return false
		}
		var n int64
		for _, c := range digits {
			n = n*10 + int64(c-'0')
		}
		return n <= maxSafeID
	}
	return false
}

// withIDs records on err, an *Error from a body that was valid JSON, the
// ids of the requests in root, so that the denial can answer them.
func withIDs(err error, root *strictjson.Value, batch bool) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	e.Batch = batch
	elems := []strictjson.Value{*root}
	if batch {
		elems = root.Elems
	}
	// A message with an ambiguous member might be a request to the server:
	// it is answered.
	e.NoAnswer = e.Code != ReasonAmbiguousMember
	for i := range elems {
		e.IDs = appendRequestID(e.IDs, &elems[i])
		e.NoAnswer = e.NoAnswer && silent(&elems[i])
	}
	return e
}

// silent reports a message that expects no answer, even to an error: a
// notification (no "id") or a response.
func silent(v *strictjson.Value) bool {
	if v.Kind != strictjson.Object {
		return false
	}
	response := (v.Lookup("result") != nil || v.Lookup("error") != nil) && v.Lookup("method") == nil
	return v.Lookup("id") == nil || response
}

// appendRequestID appends the id of v when v is an object with a valid id
// and no response members.
func appendRequestID(ids []json.RawMessage, v *strictjson.Value) []json.RawMessage {
	id := v.Lookup("id")
	if id == nil || !validID(id) || v.Lookup("result") != nil || v.Lookup("error") != nil {
		return ids
	}
	return append(ids, json.RawMessage(strings.Clone(string(id.Raw))))
}
