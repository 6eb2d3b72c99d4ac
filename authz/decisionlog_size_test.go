package authz

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/internal/decisionlog"
)

// TestMCPNameCannotBlowUpTheDecisionLine is the attack: a tools/call,
// prompts/get or resources/read whose name or URI fills the route's body
// limit (1 MiB by default) with characters the line escapes (U+2028 is 3
// bytes in the body, \u2028 in context.mcp and \\u{2028} in the action and
// resource UIDs) made a decision line about eight times the body: a line
// Tollgate's own reader (replay, report) refuses, and that log pipelines
// split or drop, so the caller's request left no readable record. Such a
// name is a bad request, and the line stays small.
func TestMCPNameCannotBlowUpTheDecisionLine(t *testing.T) {
	long := strings.Repeat("\u2028", 300_000) // 900,000 bytes, under the 1 MiB body limit
	for name, body := range map[string]string{
		"tool":   `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"` + long + `","arguments":{}}}`,
		"prompt": `{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"` + long + `"}}`,
		"uri":    `{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///` + long + `"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			e := newMCPEngine(t, &buf, nil)
			d := e.Check(context.Background(), mcpReq("/docs/mcp", body))
			if d.Allowed() {
				t.Fatal("allowed")
			}
			if buf.Len() > decisionlog.MaxLineBytes {
				t.Fatalf("decision line is %d bytes for a %d-byte body; the decision log reader refuses lines over %d",
					buf.Len(), len(body), decisionlog.MaxLineBytes)
			}
			if _, err := decisionlog.Parse(buf.Bytes()); err != nil {
				t.Fatalf("the decision line does not read back: %v", err)
			}
			if d.Code != CodeMCPBadParams {
				t.Fatalf("code = %s, want %s", d.Code, CodeMCPBadParams)
			}
		})
	}
}
