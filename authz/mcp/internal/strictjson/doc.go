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
//   - nesting deeper than a caller-chosen limit;
//   - any data after the top-level value.
//
// Numbers are kept as their exact literal text. Every accepted document is
// also accepted by encoding/json.Valid (checked as defence in depth).
package strictjson
