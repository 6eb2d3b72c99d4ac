package authz

import (
	"context"
	"testing"
)

// sessionBaseline permits the whole Streamable HTTP session: the SSE
// stream (GET), the close (DELETE), discovery and client responses.
const sessionBaseline = protocolBaseline + `
@id("mcp-session")
permit (
  principal,
  action in [Action::"mcp:stream", Action::"mcp:close", Action::"mcp:server/discover"],
  resource == McpServer::"github"
);
`

func sessionReq(method string) *Request {
	r := req(agent, method, "/mcp")
	r.Headers["mcp-session-id"] = "s-1"
	return r
}

// TestMCPSessionMethods: an mcp route covers its endpoint's GET (the SSE
// stream) and DELETE (session close) besides POST; each is a Cedar action
// on McpServer::"<server>", decided by policy like any other.
func TestMCPSessionMethods(t *testing.T) {
	withBody := sessionReq("GET")
	withBody.Body, withBody.ContentLength = []byte(`{"jsonrpc":"2.0","id":1,"method":"ping"}`), 40
	for _, tt := range []struct {
		name, policies string
		r              *Request
		outcome        Outcome
		code, action   string
	}{
		{"stream permitted", sessionBaseline, sessionReq("GET"), Allow, "permit", `Action::"mcp:stream"`},
		{"close permitted", sessionBaseline, sessionReq("DELETE"), Allow, "permit", `Action::"mcp:close"`},
		{"stream not permitted", protocolBaseline, sessionReq("GET"), Forbidden, "no_permit", `Action::"mcp:stream"`},
		{"close not permitted", protocolBaseline, sessionReq("DELETE"), Forbidden, "no_permit", `Action::"mcp:close"`},
		{"GET with a body", sessionBaseline, withBody, BadRequest, CodeMCPUnexpectedBody.String(), ""},
		{"PUT", sessionBaseline, sessionReq("PUT"), Forbidden, CodeNoRoute.String(), ""},
		{"HEAD", sessionBaseline, sessionReq("HEAD"), Forbidden, CodeMCPHTTPMethod.String(), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := newProtocolEngine(t, tt.policies).Check(context.Background(), tt.r)
			if d.Outcome != tt.outcome || d.Code.String() != tt.code || d.Action != tt.action {
				t.Fatalf("got %v/%s %s (%s), want %v/%s %s", d.Outcome, d.Code, d.Action, d.Detail, tt.outcome, tt.code, tt.action)
			}
			if tt.outcome == Allow && d.Resource != `McpServer::"github"` {
				t.Errorf("resource %s", d.Resource)
			}
			if tt.outcome != Allow && (d.MCP == nil || d.MCP.JSONRPC()) && tt.code != CodeNoRoute.String() {
				t.Errorf("a denied %s must be a plain HTTP denial, not a JSON-RPC answer", tt.r.Method)
			}
		})
	}
}

// TestMCP2026Methods: server/discover and subscriptions/listen (MCP
// 2026-07-28, stateless: no initialize) are protocol methods,
// Action::"mcp:<method>"; denying server/discover silently downgrades a
// client, denying subscriptions/listen loses the server's notifications.
func TestMCP2026Methods(t *testing.T) {
	e := newProtocolEngine(t, sessionBaseline+`@id("listen") permit (principal, action == Action::"mcp:subscriptions/listen", resource);`)
	for _, method := range []string{"server/discover", "subscriptions/listen"} {
		r := mcpReq("/mcp", `{"jsonrpc":"2.0","id":1,"method":"`+method+`","params":{}}`)
		r.Headers["mcp-protocol-version"], r.Headers["mcp-method"] = MCPHeaderRevision, method
		d := e.Check(context.Background(), r)
		if !d.Allowed() || d.Action != `Action::"mcp:`+method+`"` {
			t.Errorf("%s: got %v/%s %s (%s)", method, d.Outcome, d.Code, d.Action, d.Detail)
		}
	}
}

// TestMCPDeniedClientResponseIsNotAnswered: a client's JSON-RPC response
// that policy denies is answered with an HTTP denial (403), never with a
// JSON-RPC error (HTTP 200), even inside a batch with requests: the
// transport drops a 200 body for a posted response and the server waits.
func TestMCPDeniedClientResponseIsNotAnswered(t *testing.T) {
	e := newProtocolEngine(t, `@id("ping") permit (principal, action == Action::"mcp:ping", resource);`)
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":9,"result":{}}`,
		`[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":9,"result":{}}]`,
	} {
		d := e.Check(context.Background(), mcpReq("/mcp", body))
		if d.Allowed() || d.MCP == nil || d.MCP.JSONRPC() {
			t.Errorf("%s: %v/%s JSONRPC=%v, want a plain denial", body, d.Outcome, d.Code, d.MCP.JSONRPC())
		}
	}
}
