package authz

import (
	"context"
	"slices"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// TestMCPDenialKeepsID: a denial of a body that had a request id answers
// that id, never "id": null, whatever denied it.
func TestMCPDenialKeepsID(t *testing.T) {
	m, err := manifest.Load("testdata/mcp.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, loadPolicies(t, ""))
	cfg.Manifest = m // with testConfig's signal risk from header X-Risk-Score
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	badSignal := mcpReq("/mcp", call(41, "search_issues", `{}`))
	badSignal.Headers["x-risk-score"] = "not-a-number"
	tests := []struct {
		name  string
		r     *Request
		code  string
		id    string
		batch bool
		ids   []string
	}{
		{name: "bad params", r: mcpReq("/mcp", `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":""}}`), code: "mcp_bad_params", id: "5"},
		{name: "missing method", r: mcpReq("/mcp", `{"jsonrpc":"2.0","id":"s"}`), code: "mcp_missing_method", id: `"s"`},
		{name: "ambiguous member", r: mcpReq("/mcp", `{"jsonrpc":"2.0","id":"x","method":"tools/call","params":{"name":"t","Arguments":{}}}`), code: "mcp_ambiguous_member", id: `"x"`},
		{name: "bad signal", r: badSignal, code: CodeBadSignal.String(), id: "41"},
		{name: "bad batch element", r: mcpReq("/mcp", "["+call(1, "search_issues", `{}`)+`,{"jsonrpc":"2.0","id":2}]`), code: "mcp_missing_method", batch: true, ids: []string{"1", "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := e.Check(context.Background(), tt.r)
			if d.Allowed() || d.Code.String() != tt.code || d.MCP == nil {
				t.Fatalf("got %v/%s (%s), want a %s denial", d.Outcome, d.Code, d.Detail, tt.code)
			}
			if tt.id != "" && d.MCP.ID != tt.id {
				t.Errorf("answer id %s, want %s", d.MCP.ID, tt.id)
			}
			if d.MCP.Batch != tt.batch || (tt.batch && !slices.Equal(d.MCP.IDs, tt.ids)) {
				t.Errorf("batch %v ids %v, want %v %v", d.MCP.Batch, d.MCP.IDs, tt.batch, tt.ids)
			}
		})
	}
}

// TestMCPDeniedNotificationIsNotAnswered: nothing answers a notification or
// a client's response, so their denials carry NoAnswer.
func TestMCPDeniedNotificationIsNotAnswered(t *testing.T) {
	e := newMCPEngine(t, nil, nil)
	for _, tt := range []struct {
		body     string
		noAnswer bool
	}{
		{`{"jsonrpc":"2.0","method":"notifications/roots/list_changed"}`, true},
		{`{"jsonrpc":"2.0","method":"tools/call"}`, true}, // bad_params, but a notification
		{`{"jsonrpc":"2.0","id":4,"result":{}}`, true},
		{`[{"jsonrpc":"2.0","method":"notifications/roots/list_changed"},{"jsonrpc":"2.0","method":"notifications/progress"}]`, true},
		{`{"jsonrpc":"2.0","id":1,"method":"tools/call"}`, false},
		{`{"jsonrpc":"2.0","id":1,"method":"admin/x"}`, false},
		{`{"jsonrpc":"2.0","method":"tools/call","params":{"Name":"x"}}`, false}, // ambiguous: maybe a request
		{`{"jsonrpc":"2.0",`, false},
	} {
		d := e.Check(context.Background(), mcpReq("/mcp", tt.body))
		if d.Allowed() || d.MCP == nil || d.MCP.NoAnswer != tt.noAnswer || d.MCP.JSONRPC() == tt.noAnswer {
			t.Errorf("%s: %v/%s NoAnswer=%v, want a denial with NoAnswer=%v", tt.body, d.Outcome, d.Code, d.MCP != nil && d.MCP.NoAnswer, tt.noAnswer)
		}
	}
}
