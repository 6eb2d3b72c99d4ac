package mcp

import (
	"bytes"
	"strings"

	"github.com/tollgate-authz/tollgate/authz/mcp/internal/strictjson"
	"github.com/tollgate-authz/tollgate/internal/traceparent"
)

// parseMessage validates one JSON-RPC message; index is its batch position
// or -1.
func parseMessage(v *strictjson.Value, index int, opts Options) (Message, error) {
	if v.Kind != strictjson.Object {
		return Message{}, newError(ReasonInvalidRequest, index, "a JSON-RPC message must be an object, got %s", v.Kind)
	}
	if err := exactMembers(v, envelopeMembers, "", index); err != nil {
		return Message{}, err
	}
	if !v.Lookup("jsonrpc").TextIs("2.0") {
		return Message{}, newError(ReasonBadVersion, index, `member "jsonrpc" must be the string "2.0"`)
	}
	var m Message
	id := v.Lookup("id")
	if id != nil {
		if !validID(id) {
			return Message{}, newError(ReasonBadID, index,
				`member "id" must be a string or an integer within ±(2^53-1) written without fraction or exponent, got %s`, id.Kind)
		}
		m.ID = bytes.Clone(id.Raw)
	}
	method, result, rpcErr := v.Lookup("method"), v.Lookup("result"), v.Lookup("error")
	if result != nil || rpcErr != nil {
		return response(v, m, index)
	}
	if method == nil || method.Kind != strictjson.String || method.TextLen() == 0 {
		return Message{}, newError(ReasonMissingMethod, index, `member "method" must be a non-empty string`)
	}
	m.Method = method.Text()
	m.Notification = id == nil
	params := v.Lookup("params")
	if params == nil {
		return m, methodParams(&m, nil, index, opts)
	}
	if params.Kind != strictjson.Object && params.Kind != strictjson.Array {
		return Message{}, newError(ReasonBadParams, index, `member "params" must be an object or array, got %s`, params.Kind)
	}
	if err := exactMembers(params, paramsMembers, "params.", index); err != nil {
		return Message{}, err
	}
	m.Traceparent = metaTraceparent(params)
	return m, methodParams(&m, params, index, opts)
}

// response validates a JSON-RPC response object.
func response(v *strictjson.Value, m Message, index int) (Message, error) {
	switch result, rpcErr := v.Lookup("result"), v.Lookup("error"); {
	case v.Lookup("method") != nil || v.Lookup("params") != nil:
		return Message{}, newError(ReasonInvalidRequest, index, `a message cannot have both "method"/"params" and "result"/"error"`)
	case result != nil && rpcErr != nil:
		return Message{}, newError(ReasonInvalidRequest, index, `a response cannot have both "result" and "error"`)
	case rpcErr != nil && rpcErr.Kind != strictjson.Object, result != nil && result.Kind != strictjson.Object:
		// An MCP result is an object; a null one reads as no result at
		// all to a decoder into "any" (mcp-go), making this a request.
		return Message{}, newError(ReasonInvalidRequest, index, `member "result" or "error" must be an object`)
	case m.ID == nil:
		return Message{}, newError(ReasonInvalidRequest, index, `a response must have an "id" member`)
	}
	return Message{ID: m.ID, Response: true}, nil
}

// methodParams extracts what policy needs from the params of the methods
// that name a tool, resource or prompt. params is nil when absent.
func methodParams(m *Message, params *strictjson.Value, index int, opts Options) error {
	var err error
	switch m.Method {
	case "tools/call":
		if m.Tool, err = requiredString(params, "name", index); err == nil {
			m.Arguments, err = arguments(params, index, opts)
		}
	case "prompts/get":
		if m.Prompt, err = requiredString(params, "name", index); err == nil {
			m.Arguments, err = arguments(params, index, opts)
		}
	case "resources/read", "resources/subscribe", "resources/unsubscribe":
		if m.URI, err = requiredString(params, "uri", index); err == nil && UnsafeURI(m.URI) {
			err = newError(ReasonBadParams, index, `"params.uri" has a dot segment, a backslash, an escaped NUL or a control character`)
		}
	}
	return err
}

// UnsafeURI reports a resource URI that a server resolving it could read
// as another resource than its text names, so that a policy such as
// like "file:///public/*" would cover it: a "." or ".." segment (also
// percent-encoded, or delimited by an encoded "/"), a backslash (raw or
// %5C), %00 or a control character.
func UnsafeURI(u string) bool {
	lower := strings.ToLower(u)
	if strings.ContainsFunc(u, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) ||
		strings.Contains(lower, "%00") || strings.Contains(lower, "%5c") {
		return true
	}
	// "%2f" is a "/" to a server that decodes the path before resolving it.
	decoded := strings.NewReplacer("%2e", ".", "%2f", "/").Replace(lower)
	for _, seg := range strings.Split(decoded, "/") {
		seg, _, _ = strings.Cut(seg, "?")
		seg, _, _ = strings.Cut(seg, "#")
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// MaxNameBytes bounds a tool or prompt name and a resource URI. Each is
// written several times in the decision line (the action and resource
// UIDs, context.mcp), escaped: an unbounded one let a single request make a
// line of megabytes, which the decision log's reader refuses.
const MaxNameBytes = 8192

func requiredString(params *strictjson.Value, key string, index int) (string, error) {
	if params == nil || params.Kind != strictjson.Object {
		return "", newError(ReasonBadParams, index, `"params" must be an object with a string %q`, key)
	}
	v := params.Lookup(key)
	if v == nil || v.Kind != strictjson.String || v.TextLen() == 0 {
		return "", newError(ReasonBadParams, index, `"params.%s" must be a non-empty string`, key)
	}
	if v.TextLen() > MaxNameBytes {
		return "", newError(ReasonBadParams, index, `"params.%s" is longer than %d bytes`, key, MaxNameBytes)
	}
	return v.Text(), nil
}

// metaTraceparent returns params._meta.traceparent when it is a string
// short enough to be a traceparent; anything else is ignored.
func metaTraceparent(params *strictjson.Value) string {
	if params.Kind != strictjson.Object {
		return ""
	}
	meta := params.Lookup("_meta")
	if meta == nil || meta.Kind != strictjson.Object {
		return ""
	}
	tp := meta.Lookup("traceparent")
	if tp == nil || tp.Kind != strictjson.String || tp.TextLen() > traceparent.Len {
		return ""
	}
	return tp.Text()
}
