package authzen

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"
)

// maxDepth bounds the nesting of objects and arrays in a body.
const maxDepth = 32

// checkIJSON refuses what the I-JSON profile (RFC 7493, required by the
// specification's JSON payload considerations) rules out and
// encoding/json would silently accept: invalid UTF-8 (it would become
// U+FFFD), duplicate member names (the last would win, where another
// reader may take the first) and unbounded nesting. The top level must be
// one object.
func checkIJSON(body []byte) error {
	if !utf8.Valid(body) {
		return badRequest("the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return badRequest("the body is not JSON: %v", err)
	}
	if tok != json.Delim('{') {
		return badRequest("the body must be a JSON object")
	}
	if err := checkObject(dec, 1); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badRequest("data after the JSON object")
	}
	return nil
}

func checkObject(dec *json.Decoder, depth int) error {
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return badRequest("the body is not JSON: %v", err)
		}
		name, _ := tok.(string)
		if seen[name] {
			return badRequest("member %.64q appears twice in one object", name)
		}
		seen[name] = true
		if err := checkValue(dec, depth); err != nil {
			return err
		}
	}
	_, err := dec.Token() // '}'
	if err != nil {
		return badRequest("the body is not JSON: %v", err)
	}
	return nil
}

func checkValue(dec *json.Decoder, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return badRequest("the body is not JSON: %v", err)
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	if depth >= maxDepth {
		return badRequest("the body nests more than %d objects and arrays", maxDepth)
	}
	if d == '{' {
		return checkObject(dec, depth+1)
	}
	for dec.More() { // '['
		if err := checkValue(dec, depth+1); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return badRequest("the body is not JSON: %v", err)
	}
	return nil
}
