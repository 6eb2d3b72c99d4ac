package main

import (
	"strings"
	"testing"
)

// tollgate validate warns (and still passes) when an any-method catch-all
// shadows a more specific route for case or method variants.
func TestValidateWarnsShadowedRoutes(t *testing.T) {
	code, out, errOut := runCLI(t, "validate", exampleDir, "--manifest", "testdata/manifests/shadowed.yaml")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		`shadowed.yaml:3: warning: route "get-order"`, `catch-all "everything-else"`,
		"/ORDERS/x", "path_case: insensitive", "methods other than GET",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q\nstdout: %s\nstderr: %s", want, out, errOut)
		}
	}
	if _, _, errOut := runCLI(t, "validate", exampleDir, "--manifest", exampleManifest); strings.Contains(errOut, "warning") {
		t.Errorf("example manifest warns: %s", errOut)
	}
}
