package mcp

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Reason is a bounded, metric-safe label for why a body was rejected.
type Reason string

// The reasons Parse can give.
const (
	ReasonTooLarge       Reason = "too_large"       // body over Options.MaxBytes
	ReasonInvalidJSON    Reason = "invalid_json"    // not JSON, bad UTF-8, BOM, lone surrogate, trailing data
	ReasonDuplicateKey   Reason = "duplicate_key"   // an object repeats a key (after unescaping and case folding)
	ReasonTooDeep        Reason = "too_deep"        // nesting over Options.MaxDepth
	ReasonBadVersion     Reason = "bad_version"     // "jsonrpc" is not exactly "2.0"
	ReasonMissingMethod  Reason = "missing_method"  // no, empty or non-string "method" (and not a response)
	ReasonBadParams      Reason = "bad_params"      // params of the wrong shape for the method
	ReasonBadID          Reason = "bad_id"          // "id" is not a string, number or null
	ReasonEmptyBatch     Reason = "empty_batch"     // the body is []
	ReasonBatchTooLarge  Reason = "batch_too_large" // more than Options.MaxBatch elements
	ReasonInvalidRequest Reason = "invalid_request" // not an object, or mixes request and response members
	// ReasonAmbiguousMember is a member name that a consumer could read as
	// another: a protocol member not spelled exactly (Method, Arguments,
	// paramſ), or any key with a control character (name\u0000).
	ReasonAmbiguousMember Reason = "ambiguous_member"
	ReasonTooManyValues   Reason = "too_many_values" // more JSON values than Options.MaxValues
	ReasonCanceled        Reason = "canceled"        // the request's context ended while parsing
)

// Sentinel errors, one per Reason. Every error returned by Parse is an
// *Error, and errors.Is(err, ErrXxx) reports its reason.
var (
	ErrTooLarge        = errors.New("mcp: body too large")
	ErrInvalidJSON     = errors.New("mcp: invalid JSON")
	ErrDuplicateKey    = errors.New("mcp: duplicate object key")
	ErrTooDeep         = errors.New("mcp: nesting too deep")
	ErrBadVersion      = errors.New("mcp: jsonrpc version is not \"2.0\"")
	ErrMissingMethod   = errors.New("mcp: missing method")
	ErrBadParams       = errors.New("mcp: bad params")
	ErrBadID           = errors.New("mcp: bad id")
	ErrEmptyBatch      = errors.New("mcp: empty batch")
	ErrBatchTooLarge   = errors.New("mcp: batch too large")
	ErrInvalidRequest  = errors.New("mcp: invalid request")
	ErrAmbiguousMember = errors.New("mcp: ambiguous member name")
	ErrTooManyValues   = errors.New("mcp: too many JSON values")
	ErrCanceled        = errors.New("mcp: parsing canceled")
)

// Error is a rejected body. Msg is meant for logs and operators: it names
// the byte offset and the JSON path (object keys, quoted and truncated) but
// never a value from the body. Do not send it to the client; use
// ErrorResponse with a fixed message instead.
type Error struct {
	Code  Reason
	Msg   string
	Index int // batch element, or -1 for the whole body
	// Batch and IDs describe the rejected body when it was JSON: whether
	// it was a batch, and the ids of its elements that are requests with
	// a valid id, so the answer can name them. Both are zero otherwise.
	Batch bool
	IDs   []json.RawMessage
	// NoAnswer is set when the body was JSON and nothing in it expects an
	// answer (only notifications and responses).
	NoAnswer bool
}

func (e *Error) Error() string {
	if e.Index >= 0 {
		return fmt.Sprintf("mcp: %s: batch element %d: %s", e.Code, e.Index, e.Msg)
	}
	return fmt.Sprintf("mcp: %s: %s", e.Code, e.Msg)
}

// Unwrap returns the sentinel error of e's reason.
func (e *Error) Unwrap() error { return e.Code.sentinel() }

func (r Reason) sentinel() error {
	switch r {
	case ReasonTooLarge:
		return ErrTooLarge
	case ReasonInvalidJSON:
		return ErrInvalidJSON
	case ReasonDuplicateKey:
		return ErrDuplicateKey
	case ReasonTooDeep:
		return ErrTooDeep
	case ReasonBadVersion:
		return ErrBadVersion
	case ReasonMissingMethod:
		return ErrMissingMethod
	case ReasonBadParams:
		return ErrBadParams
	case ReasonBadID:
		return ErrBadID
	case ReasonEmptyBatch:
		return ErrEmptyBatch
	case ReasonBatchTooLarge:
		return ErrBatchTooLarge
	case ReasonAmbiguousMember:
		return ErrAmbiguousMember
	case ReasonTooManyValues:
		return ErrTooManyValues
	case ReasonCanceled:
		return ErrCanceled
	}
	return ErrInvalidRequest
}

// ReasonOf returns the reason of an error from Parse, or "" when err is
// not an *Error.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// RPCCode returns the JSON-RPC 2.0 error code for a rejected body:
// CodeParseError for bodies that are not acceptable JSON, CodeInvalidParams
// for bad_params, and CodeInvalidRequest otherwise.
func (r Reason) RPCCode() int {
	switch r {
	case ReasonTooLarge, ReasonInvalidJSON, ReasonDuplicateKey, ReasonTooDeep, ReasonTooManyValues:
		return CodeParseError
	case ReasonBadParams:
		return CodeInvalidParams
	}
	return CodeInvalidRequest
}

func newError(code Reason, index int, format string, args ...any) *Error {
	return &Error{Code: code, Index: index, Msg: fmt.Sprintf(format, args...)}
}
