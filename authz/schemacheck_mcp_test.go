package authz

import (
	"errors"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go/x/exp/schema"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

const mcpCheckSchema = `
entity Workload; entity Tool; entity McpServer; entity McpResource; entity User;
action "github.search" appliesTo { principal: [Workload], resource: [Tool] };
action ListTools appliesTo { principal: [Workload], resource: [McpServer] };
action "mcp:initialize" appliesTo { principal: [Workload], resource: [McpServer] };
action "mcp:ping" appliesTo { principal: [User], resource: [McpServer] };
action "mcp:response" appliesTo { principal: [Workload], resource: [Tool] };
`

// TestCheckManifestMCP: the actions an MCP route declares (tools, mapped
// methods) and the protocol actions the schema declares are checked like
// any route's; a protocol action the schema leaves out is not an error.
func TestCheckManifestMCP(t *testing.T) {
	var s schema.Schema
	if err := s.UnmarshalCedar([]byte(mcpCheckSchema)); err != nil {
		t.Fatal(err)
	}
	res, err := s.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	const head = "routes:\n  - name: m\n    match: { method: POST, path: /mcp }\n    mcp:\n      server: github\n"
	tests := []struct {
		name, mcp string
		want      []string
	}{
		{"fits", "      mode: per_tool\n      tools: [search]\n      methods: { tools/list: { action: ListTools }, ping: deny }\n      responses: deny\n", nil},
		{"undeclared tool action", "      mode: per_tool\n      tools: [search, drop]\n      responses: deny\n      methods: { ping: deny }\n",
			[]string{`action Action::"github.drop"`, "not declared"}},
		{"mapped method on wrong resource", "      mode: per_tool\n      methods: { tools/list: { action: ListTools, resource: { type: McpResource, id: x } }, ping: deny }\n      responses: deny\n",
			[]string{`action Action::"ListTools"`, "does not apply to resource type McpResource"}},
		{"protocol action for another principal", "      mode: per_tool\n      responses: deny\n",
			[]string{`action Action::"mcp:ping"`, "does not apply to principal type Workload"}},
		{"response action on wrong resource", "      mode: per_tool\n      methods: { ping: deny }\n",
			[]string{`action Action::"mcp:response"`, "does not apply to resource type McpServer"}},
		{"tool_resource action undeclared", "      mode: tool_resource\n      action: CallTool\n      responses: deny\n      methods: { ping: deny }\n",
			[]string{`action Action::"CallTool"`, "not declared"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := manifest.Parse("m.yaml", []byte(head+tt.mcp))
			if err != nil {
				t.Fatal(err)
			}
			err = CheckManifest(m, res, nil, nil)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrManifestSchema) {
				t.Fatalf("err %v does not wrap ErrManifestSchema", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
		})
	}
}
