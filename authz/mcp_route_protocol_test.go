package authz

import (
	"context"
	"slices"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// protocolManifest maps no protocol method: each is decided by policy as
// Action::"mcp:<method>" on McpServer::"<server>".
var protocolManifest = readFixture("manifest/testdata/protocol.manifest.yaml")

// protocolBaseline is IAM's baseline permit for the protocol methods.
const protocolBaseline = `@id("mcp-protocol-baseline")
permit (
  principal,
  action in [Action::"mcp:initialize", Action::"mcp:ping", Action::"mcp:notifications/initialized",
             Action::"mcp:notifications/cancelled", Action::"mcp:response"],
  resource == McpServer::"github"
);
`

func newProtocolEngine(t *testing.T, policies string) *Engine {
	t.Helper()
	m, err := manifest.Parse("protocol.yaml", []byte(protocolManifest))
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, loadPolicies(t, policies))
	cfg.Manifest = m
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestMCPProtocolMethodsArePolicy: initialize, ping, notifications and
// client responses are Cedar actions; without IAM's permit they are denied.
func TestMCPProtocolMethodsArePolicy(t *testing.T) {
	bodies := []struct{ name, body, action string }{
		{"initialize", `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18"}}`, `Action::"mcp:initialize"`},
		{"ping", `{"jsonrpc":"2.0","id":1,"method":"ping"}`, `Action::"mcp:ping"`},
		{"notification", `{"jsonrpc":"2.0","method":"notifications/initialized"}`, `Action::"mcp:notifications/initialized"`},
		{"response", `{"jsonrpc":"2.0","id":9,"result":{}}`, `Action::"mcp:response"`},
	}
	for _, policies := range []string{"", protocolBaseline} {
		e := newProtocolEngine(t, policies)
		for _, tt := range bodies {
			t.Run(tt.name, func(t *testing.T) {
				d := e.Check(context.Background(), mcpReq("/mcp", tt.body))
				want, code := Forbidden, "no_permit"
				if policies != "" {
					want, code = Allow, "permit"
				}
				if d.Outcome != want || d.Code.String() != code || d.Action != tt.action || d.Resource != `McpServer::"github"` {
					t.Fatalf("got %v/%s %s on %s (%s), want %v/%s %s", d.Outcome, d.Code, d.Action, d.Resource, d.Detail, want, code, tt.action)
				}
				if policies != "" && !slices.Contains(d.Policies, "mcp-protocol-baseline") {
					t.Errorf("policies %v", d.Policies)
				}
			})
		}
	}
	e := newProtocolEngine(t, protocolBaseline)
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"debug"}}`, // the manifest denies it
		`{"jsonrpc":"2.0","id":1,"method":"vendor/unknown"}`,                              // not an MCP method, not mapped
	} {
		if d := e.Check(context.Background(), mcpReq("/mcp", body)); d.Outcome != Forbidden || d.Code != CodeMCPMethodDenied {
			t.Errorf("%s: got %v/%s, want mcp_method_denied", body, d.Outcome, d.Code)
		}
	}
}
