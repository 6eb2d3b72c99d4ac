package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/mcp/internal/strictjson"
)

// Defaults for zero (or negative) Options fields.
const (
	DefaultMaxBytes         = 1 << 20
	DefaultMaxDepth         = 32
	DefaultMaxBatch         = 64
	DefaultMaxValues        = 16384
	DefaultMaxArgumentDepth = 16
)

// Options bounds what Parse accepts. A zero or negative field takes its
// default.
type Options struct {
	MaxBytes int // largest body, in bytes
	MaxDepth int // deepest nesting of arrays and objects; the top level is 1
	MaxBatch int // most elements in a batch
	// MaxValues is the most JSON values in the whole body (every scalar,
	// array and object counts one; keys do not). It bounds the work and
	// memory of a body, whatever its shape, before policy runs.
	MaxValues int
	// MaxArgumentDepth is the deepest nesting of arrays and objects in
	// params.arguments converted to Cedar; the arguments object is 1.
	MaxArgumentDepth int
	// FoldArgumentNames gives policy every key of params.arguments, at any
	// depth, in its folded form (FoldName), for tool servers that bind
	// arguments case-insensitively (encoding/json structs: mcp-go's typed
	// handlers): {"Repo": ...} is then context.mcp.arguments.repo, as the
	// server reads it. Keys equal under folding are refused anyway.
	FoldArgumentNames bool
	// ReadArgument, when set, names the members of params.arguments
	// (top level, by their names as policy sees them, folded or not) that
	// policy may read; Message.Arguments leaves the others out, unconverted.
	// Every limit still applies to the whole body. Only a caller that
	// evaluates the message against the very policies this set comes from
	// (policy.Pinned.ContextMembers) may set it: for them the decision is
	// the same as with every member. nil converts every member.
	ReadArgument func(name string) bool
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.MaxBytes, DefaultMaxBytes)
	def(&o.MaxDepth, DefaultMaxDepth)
	def(&o.MaxBatch, DefaultMaxBatch)
	def(&o.MaxValues, DefaultMaxValues)
	def(&o.MaxArgumentDepth, DefaultMaxArgumentDepth)
	return o
}

// Body is a parsed MCP Streamable HTTP POST body: one JSON-RPC message or a
// batch of them.
type Body struct {
	Batch    bool
	Messages []Message // one element unless Batch
}

// Message is one JSON-RPC 2.0 message. It never aliases the parsed body.
type Message struct {
	// ID is the exact JSON text of "id" (a string, number or null), or nil
	// when the member is absent.
	ID json.RawMessage
	// Method is the JSON-RPC method; empty for a response.
	Method string
	// Notification is a request without an id: JSON-RPC sends no answer.
	Notification bool
	// Response marks a JSON-RPC response (a "result" or "error" member and
	// no "method"): an MCP client answering a server-initiated request.
	// Parse accepts it so the caller can allow or deny it by configuration;
	// it carries only ID.
	Response bool
	// Tool is params.name of tools/call.
	Tool string
	// Arguments are params.arguments of tools/call and prompts/get as Cedar
	// values (see the package documentation). Empty when absent or null.
	Arguments types.Record
	// URI is params.uri of resources/read, resources/subscribe and
	// resources/unsubscribe.
	URI string
	// Prompt is params.name of prompts/get.
	Prompt string
	// Traceparent is params._meta.traceparent when it is a string of at
	// most traceparent.Len bytes (W3C Trace Context in MCP's _meta), for
	// the decision log only; the caller validates it.
	Traceparent string
}

// RequestIDs returns the ids of the messages that expect an answer
// (requests that are neither notifications nor responses), in order.
func (b *Body) RequestIDs() []json.RawMessage {
	var ids []json.RawMessage
	for i := range b.Messages {
		if m := &b.Messages[i]; !m.Notification && !m.Response {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

// Parse is ParseContext without a context.
func Parse(body []byte, opts Options) (*Body, error) {
	return ParseContext(context.Background(), body, opts)
}

// ParseContext strictly parses an MCP JSON-RPC 2.0 request body, and stops
// with ReasonCanceled when ctx ends. Any error is an *Error with a bounded
// Reason; a caller must treat it as a denial.
func ParseContext(ctx context.Context, body []byte, opts Options) (*Body, error) {
	opts = opts.withDefaults()
	if len(body) > opts.MaxBytes {
		return nil, newError(ReasonTooLarge, -1, "body is %d bytes, limit is %d", len(body), opts.MaxBytes)
	}
	root, err := strictjson.Parse(ctx, body, strictjson.Limits{MaxDepth: opts.MaxDepth, MaxValues: opts.MaxValues})
	if err != nil {
		return nil, jsonError(err)
	}
	if root.Kind != strictjson.Array {
		m, err := parseMessage(&root, -1, opts)
		if err != nil {
			return nil, withIDs(err, &root, false)
		}
		return &Body{Messages: []Message{m}}, nil
	}
	switch n := len(root.Elems); {
	case n == 0:
		return nil, newError(ReasonEmptyBatch, -1, "batch has no elements")
	case n > opts.MaxBatch:
		return nil, withIDs(newError(ReasonBatchTooLarge, -1, "batch has %d elements, limit is %d", n, opts.MaxBatch), &root, true)
	}
	b := &Body{Batch: true, Messages: make([]Message, len(root.Elems))}
	for i := range root.Elems {
		if b.Messages[i], err = parseMessage(&root.Elems[i], i, opts); err != nil {
			return nil, withIDs(err, &root, true)
		}
	}
	return b, nil
}

// jsonError maps a strictjson failure to an *Error, locating the batch
// element when the failure is inside one.
func jsonError(err error) error {
	var je *strictjson.Error
	if !errors.As(err, &je) {
		return newError(ReasonInvalidJSON, -1, "%v", err)
	}
	code := ReasonInvalidJSON
	switch {
	case errors.Is(err, strictjson.ErrDuplicateKey):
		code = ReasonDuplicateKey
	case errors.Is(err, strictjson.ErrBadKey):
		code = ReasonAmbiguousMember
	case errors.Is(err, strictjson.ErrTooDeep):
		code = ReasonTooDeep
	case errors.Is(err, strictjson.ErrTooMany):
		code = ReasonTooManyValues
	case errors.Is(err, strictjson.ErrCanceled):
		code = ReasonCanceled
	}
	index := -1
	if len(je.Path) > 0 {
		if n, err := strconv.Atoi(je.Path[0]); err == nil {
			index = n
		}
	}
	return newError(code, index, "%s at offset %d (%s)", je.Detail, je.Offset, je.Pointer())
}
