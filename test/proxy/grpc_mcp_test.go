package proxy_test

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

const grpcConfig = `
listen: { grpc: "{{GRPC}}", admin: "{{ADMIN}}" }
identity:
  trust_domains: [example.org]
  bundles:
    - { trust_domain: example.org, x509_pem: bundle.pem, jwks: jwks.json }
  jwt: { audiences: [agent-tools] }
policy: { dir: policies }
manifests: [manifest.yaml]
signals:
  - { name: risk_score, from: context_extension, key: risk_score, type: long }
  - { name: task_type,  from: context_extension, key: task_type,  type: string }
log: { decisions: stdout }
`

// docsRoute adds a tool_resource route to the examples/mcp manifest.
const docsRoute = `
  - name: docs-mcp
    match: { method: POST, path: /docs/mcp }
    mcp: { server: docs, mode: tool_resource, action: CallTool }
`

const docsPolicy = `@id("anyone-searches-docs")
permit (principal, action == Action::"CallTool", resource == Tool::"docs/search");
`

// startGRPC runs Tollgate with the examples/mcp manifest and policies (plus
// a tool_resource route) for CheckRequests sent as Envoy sends them.
func startGRPC(t *testing.T) (*harness.Proc, *testca.CA) {
	t.Helper()
	dir := t.TempDir()
	ca := testca.New(t, "example.org")
	harness.CopyDir(t, examples+"mcp/policies", filepath.Join(dir, "policies"))
	harness.WriteFile(t, dir, "policies/docs.cedar", []byte(docsPolicy))
	harness.WriteFile(t, dir, "manifest.yaml", []byte(readFile(t, examples+"mcp/manifest.yaml")+docsRoute))
	harness.WriteFile(t, dir, "bundle.pem", ca.X509BundlePEM())
	harness.WriteFile(t, dir, "jwks.json", ca.JWKS())
	p := harness.Start(t, dir, grpcConfig)
	p.WaitReady()
	return p, ca
}

func withExt(kv ...string) harness.ReqOpt {
	return func(r *authv3.CheckRequest) {
		r.Attributes.ContextExtensions = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			r.Attributes.ContextExtensions[kv[i]] = kv[i+1]
		}
	}
}

func tool(id int, name, args string) string {
	return `{"jsonrpc":"2.0","id":` + strconv.Itoa(id) + `,"method":"tools/call","params":{"name":"` + name + `","arguments":` + args + `}}`
}

type grpcCase struct {
	name, path, body string
	agent            string // SPIFFE path of the caller
	opts             []harness.ReqOpt
	allow            bool
	code             string
	ids              string // ids of the JSON-RPC error answer(s), comma-separated
	rpc              int
	silent           bool // a denied notification or response: no JSON-RPC body
}

func grpcCases() []grpcCase {
	const cleanup = "/ns/agents/sa/cleanup-agent"
	huge := tool(9, "search_issues", `{"q":"`+strings.Repeat("a", 1<<20)+`"}`)
	return []grpcCase{
		{name: "per-tool allow", body: tool(1, "search_issues", `{"query":"x"}`), allow: true, code: "permit"},
		{name: "per-tool deny", body: tool(4, "delete_repository", `{"repo":"acme/x"}`), code: "forbid", ids: "4", rpc: -32001},
		{name: "argument policy allows acme", body: tool(2, "create_issue", `{"repo":"acme/web"}`), allow: true, code: "permit"},
		{name: "argument policy denies others", body: tool(3, "create_issue", `{"repo":"evil/web"}`), code: "no_permit", ids: "3", rpc: -32001},
		{name: "destructive with low risk cleanup", agent: cleanup, body: tool(4, "delete_repository", `{"repo":"acme/x"}`),
			opts: []harness.ReqOpt{withExt("risk_score", "10", "task_type", "repo-cleanup")}, allow: true, code: "permit"},
		{name: "destructive with high risk", agent: cleanup, body: tool(4, "delete_repository", `{"repo":"acme/x"}`),
			opts: []harness.ReqOpt{withExt("risk_score", "90", "task_type", "repo-cleanup")}, code: "forbid", ids: "4"},
		{name: "tool as resource allow", path: "/docs/mcp", body: tool(1, "search", `{}`), allow: true, code: "permit"},
		{name: "tool as resource deny", path: "/docs/mcp", body: tool(1, "drop_index", `{}`), code: "no_permit", ids: "1"},
		{name: "batch with one forbidden call", body: "[" + tool(5, "search_issues", `{}`) + "," + tool(6, "delete_repository", `{}`) + "]", code: "forbid", ids: "5,6", rpc: -32001},
		{name: "initialize by IAM's baseline", body: `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18"}}`, allow: true, code: "permit"},
		{name: "notification by IAM's baseline", body: `{"jsonrpc":"2.0","method":"notifications/initialized"}`, allow: true, code: "permit"},
		{name: "notification without permit", path: "/docs/mcp", body: `{"jsonrpc":"2.0","method":"notifications/roots/list_changed"}`, code: "no_permit", silent: true},
		{name: "client response, baseline permit", body: `{"jsonrpc":"2.0","id":3,"result":{}}`, allow: true, code: "permit"},
		{name: "client response without permit", path: "/docs/mcp", body: `{"jsonrpc":"2.0","id":3,"result":{}}`, code: "no_permit", silent: true},
		{name: "batch with a denied client response", path: "/docs/mcp", body: "[" + tool(1, "search", `{}`) + `,{"jsonrpc":"2.0","id":3,"result":{}}]`, code: "no_permit", silent: true},
		{name: "server/discover, baseline permit", body: `{"jsonrpc":"2.0","id":5,"method":"server/discover"}`, allow: true, code: "permit"},
		{name: "Mcp-Name disagrees with the body", body: tool(6, "search_issues", `{}`),
			opts: []harness.ReqOpt{harness.WithHeader("mcp-method", "tools/call"), harness.WithHeader("mcp-name", "delete_repository")},
			code: "mcp_header_mismatch", ids: "6", rpc: -32600},
		{name: "case-variant arguments", body: `{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"create_issue","Arguments":{"repo":"evil/x"}}}`,
			code: "mcp_ambiguous_member", ids: "8", rpc: -32600},
		{name: "case-variant method on a response", body: `{"jsonrpc":"2.0","id":9,"result":{},"Method":"tools/call","Params":{"name":"delete_repository"}}`,
			code: "mcp_ambiguous_member", ids: "null", rpc: -32600},
		{name: "truncated body", body: tool(1, "search_issues", `{}`), opts: []harness.ReqOpt{harness.WithHeader("x-envoy-auth-partial-body", "true")}, code: "mcp_truncated", ids: "null", rpc: -32600},
		{name: "content-length mismatch", body: tool(1, "search_issues", `{}`), opts: []harness.ReqOpt{harness.WithHeader("content-length", "9999")}, code: "mcp_truncated", ids: "null"},
		{name: "oversize body", body: huge, code: "mcp_too_large", ids: "null"},
		{name: "invalid JSON", body: `{"jsonrpc":"2.0","id":1,`, code: "mcp_invalid_json", ids: "null", rpc: -32700},
		{name: "duplicate keys", body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_issues","name":"delete_repository"}}`, code: "mcp_duplicate_key", ids: "null", rpc: -32700}, // a parse error: JSON-RPC answers id null
		{name: "unlisted method", body: `{"jsonrpc":"2.0","id":7,"method":"sampling/createMessage","params":{}}`, code: "mcp_method_denied", ids: "7"},
	}
}

// TestGRPCMCP drives CheckRequests with MCP bodies as Envoy sends them,
// with pack_as_bytes (raw_body) and without (body).
func TestGRPCMCP(t *testing.T) {
	p, ca := startGRPC(t)
	for _, asBytes := range []bool{true, false} {
		for _, tc := range grpcCases() {
			t.Run("raw_body="+strconv.FormatBool(asBytes)+"/"+tc.name, func(t *testing.T) {
				agent := tc.agent
				if agent == "" {
					agent = agentPath
				}
				path := tc.path
				if path == "" {
					path = "/mcp"
				}
				opts := append([]harness.ReqOpt{harness.WithBearer(ca.NewJWTSVID(agent, []string{jwtAud})),
					harness.WithHeader("content-type", "application/json"), harness.WithBody([]byte(tc.body), asBytes)}, tc.opts...)
				v := harness.Summarise(p.Check(harness.NewCheck("POST", path, opts...)))
				if v.Allow != tc.allow || v.Code != tc.code {
					t.Fatalf("allow=%v code=%s, want %v %s (body %s)", v.Allow, v.Code, tc.allow, tc.code, v.Body)
				}
				switch {
				case tc.silent:
					if v.HTTPStatus != 403 || strings.Contains(v.Body, "jsonrpc") {
						t.Fatalf("a denied notification got %d %s, want 403 without a JSON-RPC body", v.HTTPStatus, v.Body)
					}
				case !tc.allow:
					checkRPCAnswer(t, v, tc.ids, tc.rpc)
				}
			})
		}
	}
}

// checkRPCAnswer asserts a denial is a JSON-RPC error (HTTP 200) for
// exactly the given ids, with the decision id.
func checkRPCAnswer(t *testing.T, v harness.Verdict, ids string, code int) {
	t.Helper()
	if v.HTTPStatus != 200 || v.Headers["content-type"] != "application/json" {
		t.Fatalf("status %d, headers %v", v.HTTPStatus, v.Headers)
	}
	type rpcErr struct {
		ID    json.RawMessage
		Error struct {
			Code int
			Data struct {
				DecisionID string `json:"decision_id"`
			}
		}
	}
	var list []rpcErr
	if strings.HasPrefix(v.Body, "[") {
		if err := json.Unmarshal([]byte(v.Body), &list); err != nil {
			t.Fatal(err)
		}
	} else {
		var one rpcErr
		if err := json.Unmarshal([]byte(v.Body), &one); err != nil {
			t.Fatal(err)
		}
		list = []rpcErr{one}
	}
	var got []string
	for _, e := range list {
		got = append(got, string(e.ID))
		if e.Error.Data.DecisionID != v.DecisionID || (code != 0 && e.Error.Code != code) {
			t.Errorf("error %+v, want code %d and decision %s", e.Error, code, v.DecisionID)
		}
	}
	if strings.Join(got, ",") != ids {
		t.Errorf("answered ids %v, want %s", got, ids)
	}
}
