package mcp

import (
	"context"
	"encoding/json"

	"github.com/tollgate-authz/tollgate/authz/mcp/internal/strictjson"
)

// Members of a tools/list result and of one tool that Tollgate reads. A
// member spelled otherwise under encoding/json's case folding (Tools,
// NAME) is refused: the client would read it as the protocol member.
var (
	resultMembers = []string{"tools", "nextCursor", "_meta"}
	toolMembers   = []string{"name", "title", "description", "inputSchema", "outputSchema", "annotations", "icons", "_meta", "execution"}
)

// ServerBody is a parsed body the MCP server sent: one JSON-RPC message or
// a batch (a JSON response, or the data of one SSE event).
type ServerBody struct {
	root     strictjson.Value
	Batch    bool
	Messages []ServerMessage
}

// ServerMessage is one message of a ServerBody.
type ServerMessage struct {
	// ID is the raw id of a response, nil for a request or notification.
	ID json.RawMessage
	// Response: the message has a result or an error member.
	Response bool
	// Tools is set when the message is a result with a tools member (a
	// tools/list page); the tools keep their order.
	Tools  []Tool
	IsList bool
}

// Tool is one tool of a tools/list result.
type Tool struct {
	Name string
	def  *strictjson.Value // the definition, aliasing the parsed body
	pin  string            // set by ToolWithPin
}

// ToolWithPin is a tool whose pin is already known.
func ToolWithPin(name, pin string) Tool { return Tool{Name: name, pin: pin} }

// Pin is "sha256:<hex>" over the tool's canonical definition (see PinOf),
// or "" when the definition cannot be put in canonical form (which matches
// no pin). It is computed when asked: only routes with pins need it.
func (t Tool) Pin() string {
	if t.def == nil {
		return t.pin
	}
	return pinOf(t.def)
}

// ParseServerBody strictly parses a body from the server. Only tools/list
// results are read member by member; other messages must be JSON objects
// and pass as they are. Any error is an *Error with a bounded Reason.
func ParseServerBody(ctx context.Context, body []byte, opts Options) (*ServerBody, error) {
	opts = opts.withDefaults()
	if len(body) > opts.MaxBytes {
		return nil, newError(ReasonTooLarge, -1, "body is %d bytes, limit is %d", len(body), opts.MaxBytes)
	}
	root, err := strictjson.Parse(ctx, body, strictjson.Limits{MaxDepth: opts.MaxDepth, MaxValues: opts.MaxValues})
	if err != nil {
		return nil, jsonError(err)
	}
	b := &ServerBody{root: root}
	elems := []strictjson.Value{root}
	if root.Kind == strictjson.Array {
		if len(root.Elems) == 0 {
			return nil, newError(ReasonEmptyBatch, -1, "batch has no elements")
		}
		b.Batch, elems = true, root.Elems
	}
	b.Messages = make([]ServerMessage, len(elems))
	for i := range elems {
		index := i
		if !b.Batch {
			index = -1
		}
		if b.Messages[i], err = serverMessage(&elems[i], index); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func serverMessage(v *strictjson.Value, index int) (ServerMessage, error) {
	var m ServerMessage
	if v.Kind != strictjson.Object {
		return m, newError(ReasonInvalidRequest, index, "a message is not a JSON object")
	}
	if err := exactMembers(v, envelopeMembers, "", index); err != nil {
		return m, err
	}
	if !v.Lookup("jsonrpc").TextIs("2.0") {
		return m, newError(ReasonBadVersion, index, "jsonrpc is not \"2.0\"")
	}
	res, rpcErr := v.Lookup("result"), v.Lookup("error")
	m.Response = res != nil || rpcErr != nil
	if !m.Response {
		return m, nil
	}
	id := v.Lookup("id")
	if id == nil || v.Lookup("method") != nil || res != nil && rpcErr != nil || id.Kind != strictjson.Null && !validID(id) {
		return m, newError(ReasonInvalidRequest, index, "a response needs a valid id and exactly one of result and error")
	}
	m.ID = id.Raw
	if res == nil || res.Kind != strictjson.Object {
		return m, nil
	}
	if err := exactMembers(res, resultMembers, "result.", index); err != nil {
		return m, err
	}
	tools := res.Lookup("tools")
	if tools == nil {
		return m, nil
	}
	m.IsList = true
	return m, listTools(&m, tools, res.Lookup("nextCursor"), index)
}

func listTools(m *ServerMessage, tools, cursor *strictjson.Value, index int) error {
	if tools.Kind != strictjson.Array {
		return newError(ReasonBadParams, index, "result.tools is not an array")
	}
	if cursor != nil && cursor.Kind != strictjson.String {
		return newError(ReasonBadParams, index, "result.nextCursor is not a string")
	}
	m.Tools = make([]Tool, len(tools.Elems))
	seen := make(map[string]bool, len(tools.Elems))
	for i := range tools.Elems {
		t := &tools.Elems[i]
		if t.Kind != strictjson.Object {
			return newError(ReasonBadParams, index, "result.tools[%d] is not an object", i)
		}
		if err := exactMembers(t, toolMembers, "result.tools[].", index); err != nil {
			return err
		}
		name := t.Lookup("name")
		if name == nil || name.Kind != strictjson.String || name.TextLen() == 0 {
			return newError(ReasonBadParams, index, "result.tools[%d].name is not a non-empty string", i)
		}
		text := name.Text()
		if seen[text] {
			// Which definition a client keeps would be its choice, not ours.
			return newError(ReasonDuplicateKey, index, "result.tools[%d] repeats a tool name", i)
		}
		seen[text] = true
		m.Tools[i] = Tool{Name: text, def: t}
	}
	return nil
}
