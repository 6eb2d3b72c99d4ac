package authz

import (
	"context"
	"testing"
)

const headersPolicies = sessionBaseline + `
@id("tools") permit (principal, action, resource is Tool);
@id("prompts") permit (principal, action == Action::"mcp:prompts/get", resource);
@id("reads") permit (principal, action == Action::"mcp:resources/read", resource);
@id("lists") permit (principal, action == Action::"mcp:tools/list", resource);
`

// TestMCPRoutingHeadersAgree: the Mcp-Method and Mcp-Name headers (MCP
// 2026-07-28) and Envoy's MCP filter metadata must say what the body says;
// anything else is a parser differential in the making and is denied.
func TestMCPRoutingHeadersAgree(t *testing.T) {
	const modern, old = MCPHeaderRevision, "2025-11-25"
	callBody := call(1, "search_issues", `{}`)
	prompt := `{"jsonrpc":"2.0","id":2,"method":"prompts/get","params":{"name":"triage"}}`
	read := `{"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"repo://a"}}`
	list := `{"jsonrpc":"2.0","id":4,"method":"tools/list"}`
	batch := "[" + callBody + "," + list + "]"
	for _, tt := range []struct {
		name, version, body string
		headers, metadata   map[string]string
		allow               bool
	}{
		{"modern call", modern, callBody, map[string]string{"mcp-method": "tools/call", "mcp-name": "search_issues"}, nil, true},
		{"modern stateless call, no initialize", modern, callBody, map[string]string{"mcp-method": "tools/call", "mcp-name": "search_issues"}, nil, true},
		{"modern prompt", modern, prompt, map[string]string{"mcp-method": "prompts/get", "mcp-name": "triage"}, nil, true},
		{"modern read", modern, read, map[string]string{"mcp-method": "resources/read", "mcp-name": "repo://a"}, nil, true},
		{"modern list", modern, list, map[string]string{"mcp-method": "tools/list"}, nil, true},
		{"old revision without headers", old, callBody, nil, nil, true},
		{"old revision with agreeing headers", old, callBody, map[string]string{"mcp-method": "tools/call", "mcp-name": "search_issues"}, nil, true},
		{"method mismatch", modern, callBody, map[string]string{"mcp-method": "tools/list", "mcp-name": "search_issues"}, nil, false},
		{"method case", modern, callBody, map[string]string{"mcp-method": "Tools/Call", "mcp-name": "search_issues"}, nil, false},
		{"method whitespace", modern, callBody, map[string]string{"mcp-method": " tools/call", "mcp-name": "search_issues"}, nil, false},
		{"method repeated", modern, callBody, map[string]string{"mcp-method": "tools/call,tools/call", "mcp-name": "search_issues"}, nil, false},
		{"name mismatch", modern, callBody, map[string]string{"mcp-method": "tools/call", "mcp-name": "get_file"}, nil, false},
		{"name case", old, callBody, map[string]string{"mcp-name": "Search_Issues"}, nil, false},
		{"name repeated", modern, callBody, map[string]string{"mcp-method": "tools/call", "mcp-name": "search_issues,search_issues"}, nil, false},
		{"name on a list", modern, list, map[string]string{"mcp-method": "tools/list", "mcp-name": "x"}, nil, false},
		{"prompt name is not the uri", modern, read, map[string]string{"mcp-method": "resources/read", "mcp-name": "triage"}, nil, false},
		{"modern without method", modern, list, nil, nil, false},
		{"modern call without name", modern, callBody, map[string]string{"mcp-method": "tools/call"}, nil, false},
		{"empty method header", old, list, map[string]string{"mcp-method": ""}, nil, false},
		{"headers on a batch", old, batch, map[string]string{"mcp-method": "tools/call"}, nil, false},
		{"method header on a response", old, `{"jsonrpc":"2.0","id":9,"result":{}}`, map[string]string{"mcp-method": "ping"}, nil, false},
		{"envoy metadata agrees", old, callBody, nil, map[string]string{envoyMCPMethod: "tools/call", envoyMCPName: "search_issues"}, true},
		{"envoy method disagrees", old, callBody, nil, map[string]string{envoyMCPMethod: "tools/list"}, false},
		{"envoy name disagrees", old, callBody, nil, map[string]string{envoyMCPMethod: "tools/call", envoyMCPName: "delete_repo"}, false},
		{"envoy uri disagrees", old, read, nil, map[string]string{envoyMCPURI: "repo://b"}, false},
		{"envoy metadata on a batch", old, batch, nil, map[string]string{envoyMCPMethod: "tools/call"}, false},
		{"envoy response", old, `{"jsonrpc":"2.0","id":9,"result":{}}`, nil, map[string]string{envoyMCPMethod: envoyMCPResponse}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := mcpReq("/mcp", tt.body)
			r.Headers["mcp-protocol-version"] = tt.version
			for k, v := range tt.headers {
				r.Headers[k] = v
			}
			r.Metadata = tt.metadata
			d := newProtocolEngine(t, headersPolicies).Check(context.Background(), r)
			switch {
			case tt.allow && !d.Allowed():
				t.Fatalf("denied %s: %s", d.Code, d.Detail)
			case !tt.allow && (d.Allowed() || d.Code != CodeMCPHeaderMismatch):
				t.Fatalf("got %v/%s (%s), want %s", d.Outcome, d.Code, d.Detail, CodeMCPHeaderMismatch)
			}
		})
	}
}

// TestMCPRoutingHeadersOnSession: a GET or DELETE carries no message, so
// routing headers on one describe nothing and are refused.
func TestMCPRoutingHeadersOnSession(t *testing.T) {
	r := sessionReq("GET")
	r.Headers["mcp-method"] = "tools/call"
	if d := newProtocolEngine(t, sessionBaseline).Check(context.Background(), r); d.Allowed() || d.Code != CodeMCPHeaderMismatch {
		t.Fatalf("got %v/%s", d.Outcome, d.Code)
	}
}
