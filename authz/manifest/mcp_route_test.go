package manifest

import (
	"strings"
	"testing"
)

func TestMCPManifestErrors(t *testing.T) {
	base := "routes:\n  - match: { method: POST, path: /mcp }\n"
	tests := []struct{ name, yaml, want string }{
		{"tools/call in methods", base + "    mcp: { server: s, mode: per_tool, methods: { tools/call: allow } }\n", "tools/call is authorized per tool"},
		{"bad mode", base + "    mcp: { server: s, mode: all }\n", "mcp.mode"},
		{"missing server", base + "    mcp: { mode: per_tool }\n", "mcp.server"},
		{"action with mcp", base + "    action: X\n    mcp: { server: s, mode: per_tool }\n", "remove \"action\""},
		{"action in per_tool", base + "    mcp: { server: s, mode: per_tool, action: X }\n", "use action_prefix"},
		{"bad verdict", base + "    mcp: { server: s, mode: per_tool, methods: { ping: maybe } }\n", "must be deny or"},
		{"bad pattern", base + "    mcp: { server: s, mode: per_tool, methods: { \"notif*\": allow } }\n", "must end in"},
		{"bad template", base + "    mcp: { server: s, mode: per_tool, methods: { resources/read: { action: R, resource: { type: T, id: \"{nope}\" } } } }\n", "resource.id"},
		{"bad max", base + "    mcp: { server: s, mode: per_tool, max_body_bytes: -1 }\n", "positive integer"},
		{"repeated method", base + "    mcp: { server: s, mode: per_tool, methods: { ping: deny, ping: allow } }\n", `duplicate key "ping"`},
		{"repeated pattern", base + "    mcp: { server: s, mode: per_tool, methods: { \"a/*\": deny, \"a/*\": allow } }\n", `duplicate key "a/*"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("m.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "m.yaml:") {
				t.Fatalf("err = %v, want %q with file:line", err, tt.want)
			}
		})
	}
}
