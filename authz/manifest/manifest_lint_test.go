package manifest

import (
	"strings"
	"testing"
)

// Issue 8 item 2: tollgate validate warns when an any-method catch-all sits
// next to more specific routes that a case or method variant could reach.
func TestManifestWarnings(t *testing.T) {
	m, err := Parse("tricks.yaml", []byte(trickManifest))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(m.Warnings(), "\n")
	for _, want := range []string{
		`tricks.yaml:7: warning: route "admin-users"`, `catch-all "catch-all"`, "path_case: insensitive", "/ADMIN/USERS", `tricks.yaml:3: warning: route "order"`, "/ORDERS/x",
		`tricks.yaml:11: warning: route "mcp"`, "methods other than POST",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings lack %q:\n%s", want, got)
		}
	}
	// Declaring case-insensitive matching leaves only method warnings.
	m, err = Parse("tricks.yaml", []byte("path_case: insensitive\n"+trickManifest))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.Warnings(), "\n"); strings.Contains(got, "case variant") || !strings.Contains(got, "methods other than") {
		t.Errorf("insensitive manifest warnings:\n%s", got)
	}
	// No catch-all, no warning.
	if w := ordersManifest(t).Warnings(); len(w) != 0 {
		t.Errorf("orders manifest: %q", w)
	}
}
