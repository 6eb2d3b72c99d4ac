package manifest

import (
	"strconv"
	"strings"
	"testing"
)

// max_values bounds the work every MCP body costs before policy runs: at
// about 165 allocated bytes per JSON value, a manifest declaring
// max_values: 100000000 let any caller make Tollgate allocate 313 MB and
// spend 370 ms on one 3.8 MB body. A manifest may raise the default, but
// only up to MaxMCPValues.
func TestMCPMaxValuesBounded(t *testing.T) {
	route := "routes:\n  - match: { path: /mcp }\n    mcp: { server: s, mode: per_tool, max_values: %d }\n"
	for _, n := range []int{MaxMCPValues + 1, 100_000_000} {
		_, err := Parse("m.yaml", []byte(strings.Replace(route, "%d", strconv.Itoa(n), 1)))
		if err == nil || !strings.Contains(err.Error(), "m.yaml:3") || !strings.Contains(err.Error(), "max_values") {
			t.Errorf("max_values: %d: %v, want an error naming the key", n, err)
		}
	}
	m, err := Parse("m.yaml", []byte(strings.Replace(route, "%d", strconv.Itoa(MaxMCPValues), 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Routes()[0].MCP.MaxValues; got != MaxMCPValues {
		t.Fatalf("MaxValues = %d", got)
	}
}
