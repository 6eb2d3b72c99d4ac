package manifest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/mcp"
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

func TestManifestPinsRefused(t *testing.T) {
	good := pinFor("x")
	for name, pins := range map[string]string{
		"not a mapping": "[a]",
		"no prefix":     "{x: " + strings.TrimPrefix(good, mcp.PinPrefix) + "}",
		"upper hex":     "{x: " + strings.ToUpper(good) + "}",
		"short":         "{x: sha256:abc}",
		"duplicate":     "{x: " + good + ", x: " + good + "}",
		"number":        "{x: 12}",
	} {
		path := filepath.Join(t.TempDir(), "m.yaml")
		text := strings.Replace(pinnedManifest, `      pins:
        search_issues: PIN_SEARCH
        create_issue: PIN_CREATE
`, "      pins: "+pins+"\n", 1)
		_ = os.WriteFile(path, []byte(text), 0o600)
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), "m.yaml:") || !strings.Contains(err.Error(), "pins") {
			t.Errorf("%s: %v, want an error naming the file, line and key", name, err)
		}
	}
}

// TestMCPManifestNeverGrants: "allow" in methods or responses let a
// message through with no Cedar permit; a manifest declares, never grants.
func TestMCPManifestNeverGrants(t *testing.T) {
	for _, tt := range []struct{ name, block, key string }{
		{"method allow", "      methods:\n        initialize: allow\n", "mcp.methods.initialize"},
		{"pattern allow", "      methods:\n        notifications/*: allow\n", "mcp.methods.notifications/*"},
		{"responses allow", "      responses: allow\n", "mcp.responses"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(protocolManifest, "      methods:\n        logging/setLevel: deny\n", tt.block, 1)
			_, err := Parse("agents.yaml", []byte(text))
			if err == nil {
				t.Fatal("a manifest that grants was accepted")
			}
			if msg := err.Error(); !strings.Contains(msg, "agents.yaml:") || !strings.Contains(msg, tt.key) || !strings.Contains(msg, "never grants") {
				t.Fatalf("error %q does not name file, line, key and the rule", msg)
			}
		})
	}
}

// TestMCPRouteMethodError: an mcp route serves GET, POST and DELETE; any
// other match method is an error naming file, line and key.
func TestMCPRouteMethodError(t *testing.T) {
	text := strings.Replace(protocolManifest, "match: { method: POST, path: /mcp }", "match: { method: PUT, path: /mcp }", 1)
	_, err := Parse("agents.yaml", []byte(text))
	if err == nil || !strings.Contains(err.Error(), "agents.yaml:4") || !strings.Contains(err.Error(), "routes[0].match") {
		t.Fatalf("got %v", err)
	}
	m, err := Parse("agents.yaml", []byte(protocolManifest))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Routes()[0].Methods; !slices.Equal(got, []string{"DELETE", "GET", "POST"}) {
		t.Errorf("methods %v", got)
	}
}
