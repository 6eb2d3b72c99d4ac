package authz

import (
	"context"
	"testing"
)

// TestMCPBodyCharsetDenied: Tollgate parses the body as UTF-8, while a
// server that decodes it by the Content-Type's charset (the TypeScript
// SDK's Streamable HTTP transport: getRawBody with
// parameters.charset, any iconv-lite encoding) reads other text from the
// same bytes. In UTF-7, the ASCII bytes "+AGQ-elete" are "delete": a body
// Tollgate reads as a call of a harmless tool is a call of a forbidden
// one there. A charset other than UTF-8, or a Content-Type naming a
// charset that cannot be read, is refused as mcp_encoded.
func TestMCPBodyCharsetDenied(t *testing.T) {
	e := newMCPEngine(t, nil, nil)
	for _, ct := range []string{
		"application/json; charset=utf-7",
		"application/json;charset=UTF-7",
		`application/json; charset="utf-7"`,
		"application/json; charset=utf-16",
		"application/json; charset=utf-16le",
		"application/json; charset=iso-8859-1",
		"application/json; CHARSET=utf-7",
		"text/plain; charset=utf-7",
		"application/json; charset=utf-8; charset=utf-7",
		"application/json; charset=utf-8, application/json; charset=utf-7",
		"application/json; charset*=utf-8''utf-7",
		"application/json; charset=",
	} {
		r := mcpReq("/mcp", call(1, "search_issues", `{}`))
		r.Headers["content-type"] = ct
		d := e.Check(context.Background(), r)
		if d.Outcome == Allow || d.Code != CodeMCPEncoded {
			t.Errorf("content-type %q: %v %s, want a denial %s", ct, d.Outcome, d.Code, CodeMCPEncoded)
		}
	}
	for _, ct := range []string{"", "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
		`application/json; charset="utf-8"`, "application/json; charset=utf8"} {
		r := mcpReq("/mcp", call(1, "search_issues", `{}`))
		r.Headers["content-type"] = ct
		if ct == "" {
			delete(r.Headers, "content-type")
		}
		if d := e.Check(context.Background(), r); d.Outcome != Allow {
			t.Errorf("content-type %q: %v %s (%s), want allow", ct, d.Outcome, d.Code, d.Detail)
		}
	}
}
