package authz

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/authz/mcp"
)

const agent = "spiffe://example.org/ns/ai/sa/agent"

func newMCPEngine(t testing.TB, log *bytes.Buffer, reg prometheus.Registerer) *Engine {
	t.Helper()
	m, err := manifest.Load("testdata/mcp.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/mcp.cedar")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Identifier: fakeIdentifier{}, Policies: loadPolicies(t, string(b)), Manifest: m, Clock: func() time.Time { return testTime }, Registerer: reg}
	if log != nil {
		cfg.DecisionLog = slog.New(slog.NewJSONHandler(log, nil))
	}
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mcpReq(path, body string) *Request {
	r := req(agent, "POST", path)
	r.Headers["content-type"] = "application/json"
	r.Body = []byte(body)
	r.ContentLength = int64(len(body))
	return r
}

func call(id int, tool, args string) string {
	return `{"jsonrpc":"2.0","id":` + strconv.Itoa(id) + `,"method":"tools/call","params":{"name":"` + tool + `","arguments":` + args + `}}`
}

func TestMCPCheck(t *testing.T) {
	e := newMCPEngine(t, nil, nil)
	truncated := mcpReq("/mcp", call(1, "search_issues", `{}`))
	truncated.BodyTruncated = true
	short := mcpReq("/mcp", call(1, "search_issues", `{}`))
	short.ContentLength += 10
	big := mcpReq("/mcp", call(1, "search_issues", `{"q":"`+strings.Repeat("x", 3000)+`"}`))
	notForwarded := mcpReq("/mcp", "")
	notForwarded.ContentLength, notForwarded.BodyTruncated = -1, true
	tests := []struct {
		name, path, body string
		r                *Request
		outcome          Outcome
		code, action     string
		resource         string
		reason           string // substring
		rpc              int
	}{
		{name: "per tool allow", body: call(1, "search_issues", `{"q":"bug"}`), outcome: Allow, code: "permit", action: `Action::"github.search_issues"`, resource: `Tool::"github/search_issues"`},
		{name: "per tool deny", body: call(1, "delete_repo", `{"repo":"acme/x"}`), outcome: Forbidden, code: "no_permit", action: `Action::"github.delete_repo"`, rpc: mcp.CodePermissionDenied},
		{name: "argument allows", body: call(2, "create_issue", `{"repo":"acme/web","title":"t"}`), outcome: Allow, code: "permit"},
		{name: "argument denies", body: call(2, "create_issue", `{"repo":"evil/web"}`), outcome: Forbidden, code: "no_permit"},
		{name: "argument missing", body: call(2, "create_issue", `{}`), outcome: Forbidden, code: "no_permit"},
		{name: "tool resource allow", path: "/docs/mcp", body: call(1, "search", `{}`), outcome: Allow, code: "permit", action: `Action::"CallTool"`, resource: `Tool::"docs/search"`},
		{name: "tool resource deny", path: "/docs/mcp", body: call(1, "drop", `{}`), outcome: Forbidden, code: "no_permit", resource: `Tool::"docs/drop"`},
		{name: "tools/list mapped", body: `{"jsonrpc":"2.0","id":"a","method":"tools/list"}`, outcome: Allow, action: `Action::"ListTools"`, resource: `McpServer::"github"`},
		{name: "resources/read uri", body: `{"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"repo://acme/readme"}}`, outcome: Allow, resource: `McpResource::"repo://acme/readme"`},
		{name: "initialize by the baseline permit", body: `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{}}`, outcome: Allow, code: "permit", action: `Action::"mcp:initialize"`, resource: `McpServer::"github"`},
		{name: "notification by the baseline permit", body: `{"jsonrpc":"2.0","method":"notifications/initialized"}`, outcome: Allow, code: "permit", action: `Action::"mcp:notifications/initialized"`},
		{name: "protocol method without permit", body: `{"jsonrpc":"2.0","id":1,"method":"prompts/list"}`, outcome: Forbidden, code: "no_permit", action: `Action::"mcp:prompts/list"`},
		{name: "denied method", body: `{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{}}`, outcome: Forbidden, code: CodeMCPMethodDenied.String()},
		{name: "unknown method", body: `{"jsonrpc":"2.0","id":1,"method":"admin/shutdown","params":{"name":"x"}}`, outcome: Forbidden, code: CodeMCPMethodDenied.String()},
		{name: "protocol default on tool_resource route", path: "/docs/mcp", body: `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, outcome: Forbidden, code: "no_permit", action: `Action::"mcp:tools/list"`, resource: `McpServer::"docs"`},
		{name: "response without permit", body: `{"jsonrpc":"2.0","id":1,"result":{}}`, outcome: Forbidden, code: "no_permit", action: `Action::"mcp:response"`},
		{name: "response denied by manifest", path: "/docs/mcp", body: `{"jsonrpc":"2.0","id":1,"result":{}}`, outcome: Forbidden, code: CodeMCPResponseDenied.String()},
		{name: "batch allowed", body: "[" + call(1, "search_issues", `{}`) + "," + `{"jsonrpc":"2.0","method":"notifications/progress"}` + "]", outcome: Allow, code: "permit"},
		{name: "batch one denied", body: "[" + call(1, "search_issues", `{}`) + "," + call(2, "delete_repo", `{}`) + "]", outcome: Forbidden, code: "no_permit", reason: "batch element 1"},
		{name: "truncated", r: truncated, outcome: BadRequest, code: CodeMCPTruncated.String()},
		{name: "not forwarded", r: notForwarded, outcome: BadRequest, code: CodeMCPTruncated.String()},
		{name: "length mismatch", r: short, outcome: BadRequest, code: CodeMCPTruncated.String()},
		{name: "oversize", r: big, outcome: BadRequest, code: CodeMCPTooLarge.String()},
		{name: "invalid json", body: `{"jsonrpc":"2.0",`, outcome: BadRequest, code: "mcp_invalid_json", rpc: mcp.CodeParseError},
		{name: "wrong version", body: `{"jsonrpc":"1.0","id":1,"method":"ping"}`, outcome: BadRequest, code: "mcp_bad_version", rpc: mcp.CodeInvalidRequest},
		{name: "missing method", body: `{"jsonrpc":"2.0","id":1}`, outcome: BadRequest, code: "mcp_missing_method"},
		{name: "duplicate key", body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_issues","Name":"delete_repo"}}`, outcome: BadRequest, code: "mcp_duplicate_key"},
		{name: "bad element in batch", body: "[" + call(1, "search_issues", `{}`) + `,{"jsonrpc":"2.0","id":2}]`, outcome: BadRequest, code: "mcp_missing_method", reason: "batch element 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r
			if r == nil {
				path := tt.path
				if path == "" {
					path = "/mcp"
				}
				r = mcpReq(path, tt.body)
			}
			d := e.Check(context.Background(), r)
			if d.Outcome != tt.outcome || (tt.code != "" && d.Code.String() != tt.code) {
				t.Fatalf("got %v/%s (%s), want %v/%s", d.Outcome, d.Code, d.Detail, tt.outcome, tt.code)
			}
			if d.MCP == nil {
				t.Fatal("MCP info missing")
			}
			if tt.action != "" && d.Action != tt.action {
				t.Errorf("action %s, want %s", d.Action, tt.action)
			}
			if tt.resource != "" && d.Resource != tt.resource {
				t.Errorf("resource %s, want %s", d.Resource, tt.resource)
			}
			if !strings.Contains(d.Detail, tt.reason) {
				t.Errorf("reason %q lacks %q", d.Detail, tt.reason)
			}
			if tt.rpc != 0 && d.MCP.RPCCode != tt.rpc {
				t.Errorf("rpc code %d, want %d", d.MCP.RPCCode, tt.rpc)
			}
		})
	}
}

func TestMCPBatchIDs(t *testing.T) {
	e := newMCPEngine(t, nil, nil)
	body := "[" + call(7, "search_issues", `{}`) + `,{"jsonrpc":"2.0","method":"notifications/progress"},` + call(8, "delete_repo", `{}`) + "]"
	d := e.Check(context.Background(), mcpReq("/mcp", body))
	if d.Allowed() || !d.MCP.Batch || d.MCP.ID != "8" || strings.Join(d.MCP.IDs, ",") != "7,8" {
		t.Fatalf("got %+v %+v", d, d.MCP)
	}
	if !strings.Contains(d.Detail, "batch element 2") {
		t.Fatalf("reason %q", d.Detail)
	}
}

func TestMCPMetricsAndLogBounded(t *testing.T) {
	var log bytes.Buffer
	reg := prometheus.NewRegistry()
	e := newMCPEngine(t, &log, reg)
	e.Check(context.Background(), mcpReq("/mcp", call(1, "attacker_chosen_tool_name", `{"secret":"hunter2"}`)))
	e.Check(context.Background(), mcpReq("/mcp", call(1, "search_issues", `{}`)))
	want := map[string]bool{manifest.MCPToolLabel: true, "github.search_issues": true}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	series := 0
	for _, mf := range mfs {
		if mf.GetName() == "tollgate_decisions_total" {
			series = len(mf.GetMetric())
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "action" && !want[l.GetValue()] {
					t.Errorf("unbounded action label %q", l.GetValue())
				}
			}
		}
	}
	if series != 2 {
		t.Errorf("%d series, want 2", series)
	}
	line := strings.Split(strings.TrimSpace(log.String()), "\n")[0]
	var rec struct {
		MCP struct{ Method, Tool string } `json:"mcp"`
	}
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.MCP.Method != "tools/call" || rec.MCP.Tool != "attacker_chosen_tool_name" {
		t.Errorf("log mcp = %+v", rec.MCP)
	}
	if strings.Contains(log.String(), "hunter2") {
		t.Error("argument value logged")
	}
}
