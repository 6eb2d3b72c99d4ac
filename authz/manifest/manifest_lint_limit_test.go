package manifest

import (
	"strings"
	"testing"
)

// Nested catch-alls make a warning for every pair of routes: 1500 of them
// (2.3 MB) made 1.1 million warnings, 8 GB and nearly two minutes, in
// validate and in serve, which logs them. The list is bounded.
func TestWarningsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("routes:\n")
	for k := 1; k <= 200; k++ {
		b.WriteString("  - match: { path: \"" + strings.Repeat("/a", k) + "/{r...}\" }\n    action: A\n    resource: { type: T, id: x }\n")
	}
	m, err := Parse("m.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	ws := m.Warnings()
	if len(ws) != MaxWarnings+1 || !strings.Contains(ws[MaxWarnings], "not shown") {
		t.Fatalf("%d warnings, want %d and a last line saying the rest are not shown", len(ws), MaxWarnings+1)
	}
}
