package manifest

import (
	"strings"
	"testing"
)

// YAML 1.1 readers (PyYAML, the default in Python review tooling, and
// older Go yaml.v2) read an unquoted yes, no, on or off as a boolean, where
// Tollgate reads a string: a review bot and Tollgate would disagree on
// which action or tool a manifest names. Such values must be quoted.
func TestYAML11BooleansMustBeQuoted(t *testing.T) {
	route := "routes:\n  - match: { method: GET, path: /a }\n    action: %s\n    resource: { type: T, id: x }\n"
	for _, v := range []string{"yes", "No", "ON", "off", "y", "N"} {
		_, err := Parse("m.yaml", []byte(strings.Replace(route, "%s", v, 1)))
		if err == nil || !strings.Contains(err.Error(), "m.yaml:3") || !strings.Contains(err.Error(), "quote") {
			t.Errorf("action: %s: %v, want an error asking to quote it", v, err)
		}
	}
	tools := "routes:\n  - match: { path: /mcp }\n    mcp: { server: s, mode: per_tool, tools: [create, on] }\n"
	if _, err := Parse("m.yaml", []byte(tools)); err == nil || !strings.Contains(err.Error(), "quote") {
		t.Errorf("tools: [create, on]: %v, want an error asking to quote it", err)
	}
	for _, v := range []string{`"yes"`, `'on'`, "yesterday", "Only"} {
		if _, err := Parse("m.yaml", []byte(strings.Replace(route, "%s", v, 1))); err != nil {
			t.Errorf("action: %s: %v", v, err)
		}
	}
}
