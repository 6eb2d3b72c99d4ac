// Package mcp parses Model Context Protocol (MCP) request bodies, as an MCP
// client POSTs them to a Streamable HTTP endpoint, so that Tollgate can
// authorize tool calls, resource reads and prompt gets. It also builds the
// JSON-RPC 2.0 error objects that answer a denial.
//
// For the response half, ParseServerBody reads what the server sends back
// (with the same strictness, and the tools/list result members spelled
// exactly), ServerBody.Encode writes a tools/list result with only the
// tools a caller may see, SSEReader reassembles text/event-stream events
// from arbitrary chunks, and PinOf fingerprints a tool definition (RFC 8785
// canonical JSON, SHA-256) for the manifest's pins.
//
// # Strictness
//
// Parse accepts one JSON-RPC 2.0 message (an object) or a non-empty batch
// (an array of them) and rejects, with an *Error carrying a bounded Reason,
// anything two JSON parsers could read differently:
//
//   - Duplicate keys. Any object, at any depth, that repeats a key is
//     rejected (duplicate_key). Keys are compared after unescaping, so "a"
//     and "\u0061" are duplicates, and after Unicode simple case folding,
//     so "name" and "Name" are duplicates too: parsers disagree on whether
//     the first or the last duplicate wins, and Go's encoding/json matches
//     struct fields case-insensitively, so either would let an attacker
//     show Tollgate one tool name and the tool server another.
//   - Invalid UTF-8, a byte order mark, \u escapes that leave a UTF-16
//     surrogate unpaired, and any data after the top-level value
//     (invalid_json). encoding/json would silently replace the first and
//     third with U+FFFD.
//   - Member names a consumer could read as a protocol member although they
//     are not spelled exactly so (ambiguous_member): in the message
//     ("jsonrpc", "id", "method", "params", "result", "error") and in params
//     ("name", "arguments", "uri", "_meta", and the other params members of
//     the MCP specification), any name equal under the case folding
//     encoding/json applies to struct fields (bytes.EqualFold: "Method",
//     "Arguments", "paramſ" with U+017F, "tas\u212a" with the Kelvin sign).
//     Go MCP servers that decode with encoding/json (mcp-go, the go-sdk
//     before its fix for CVE-2026-27896) read those as the protocol
//     member, which Tollgate's exact lookup would not see. Any key, at any
//     depth, with a control character (U+0000-U+001F, U+007F-U+009F; raw
//     or \u-escaped) is refused too: the go-sdk up to v1.4.0 read
//     "name\u0000" as "name" (GHSA-q382-vc8q-7jhj).
//   - Bodies over Options.MaxBytes (too_large), nesting over
//     Options.MaxDepth (too_deep), more JSON values than Options.MaxValues
//     (too_many_values), params.arguments nested deeper than
//     Options.MaxArgumentDepth (too_deep), and a parse whose context ended
//     (canceled). The value count bounds the memory and time a body costs
//     before policy runs, whatever its shape.
//
// Each message must have "jsonrpc":"2.0" (bad_version) and an "id", if
// present, that is a string or an integer written without fraction or
// exponent within ±(2^53-1) (bad_id): MCP forbids a null id, the go-sdk
// reads "id":null as a notification, and it reads number ids through
// float64, so 1.5 or 2^53+1 would be another id to it. A request needs a
// non-empty string "method" (missing_method) and "params", if present, must
// be an object or array (bad_params). tools/call and prompts/get need a
// non-empty string params.name, resources/read, resources/subscribe and
// resources/unsubscribe a non-empty string params.uri, and params.arguments
// must be an object, null or absent (bad_params). Members this package does
// not know are ignored.
//
// # Responses
//
// An MCP client may POST a JSON-RPC response (an object with "result" or
// "error" and no "method") to answer a server-initiated request, such as
// sampling or elicitation. Parse returns it as a Message with Response set
// and only ID filled in, so that policy can decide it. A response needs an
// "id" and exactly one of "result" and "error" (an object); a message with
// both "method" and "result" or "error" is invalid_request.
//
// # Arguments as Cedar values
//
// params.arguments becomes a Cedar record: a string is a String, a boolean
// a Boolean, an array a Set (order and duplicates are lost), an object a
// Record with the keys as they are, and null an omitted attribute (or set
// element). Numbers are converted from their exact literal: an integral
// value within int64 is a Long however it is spelled (100, 1e2 and 100.0
// are all Long 100, so a policy comparing with 100 cannot be dodged by
// spelling), a value with at most four decimal places within Cedar's
// decimal range is a decimal, and any other number is the String of its
// literal, so a policy comparing it numerically errors (and an erroring
// forbid denies) instead of seeing a rounded value.
//
// # Error answers
//
// ErrorResponse and BatchErrorResponse build JSON-RPC error objects with a
// fixed message and the decision ID in error.data.decision_id. Use
// CodePermissionDenied (-32001, in the range JSON-RPC leaves to servers)
// for policy denials and Reason.RPCCode for rejected bodies.
package mcp
