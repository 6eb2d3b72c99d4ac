// Package strictjson is a small validating JSON parser for untrusted bodies.
//
// It accepts exactly RFC 8259 JSON text and additionally rejects, so that no
// two JSON parsers can disagree about what a document says:
//
//   - invalid UTF-8 and a leading byte order mark;
//   - \u escapes that produce an unpaired UTF-16 surrogate;
//   - an object that repeats a key, compared after unescaping and after
//     Unicode simple case folding (Go's encoding/json matches struct fields
//     case-insensitively, so {"name":"a","Name":"b"} is a duplicate);
//   - an object key with a control character, raw or \u-escaped, at any
//     depth ("name\u0000" is "name" to some decoders);
//   - nesting deeper, or more values, than the caller's Limits;
//   - any data after the top-level value.
//
// Numbers are kept as their exact literal text. Every accepted document is
// also accepted, and read the same way, by encoding/json: FuzzParse checks
// it, so Parse does not validate twice.
package strictjson
