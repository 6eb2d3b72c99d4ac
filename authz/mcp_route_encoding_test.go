package authz

import (
	"context"
	"testing"
)

// TestMCPEncodedBodyDenied: with a Content-Encoding, the bytes Tollgate
// parses are not the JSON the MCP server reads after decoding them, so an
// encoded MCP body is refused whatever it looks like.
func TestMCPEncodedBodyDenied(t *testing.T) {
	e := newMCPEngine(t, nil, nil)
	for _, enc := range []string{"br", "gzip", "deflate", "zstd", "identity, gzip", "x-unknown"} {
		r := mcpReq("/mcp", call(1, "search_issues", `{}`))
		r.Headers["content-encoding"] = enc
		d := e.Check(context.Background(), r)
		if d.Outcome == Allow || d.Code != CodeMCPEncoded {
			t.Errorf("content-encoding %q: %v %s, want a denial %s", enc, d.Outcome, d.Code, CodeMCPEncoded)
		}
	}
	for _, enc := range []string{"", "identity", "Identity"} {
		r := mcpReq("/mcp", call(1, "search_issues", `{}`))
		if enc != "" {
			r.Headers["content-encoding"] = enc
		}
		if d := e.Check(context.Background(), r); d.Outcome != Allow {
			t.Errorf("content-encoding %q: %v %s, want allow", enc, d.Outcome, d.Code)
		}
	}
}
