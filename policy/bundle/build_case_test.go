package bundle

import (
	"os"
	"path/filepath"
	"testing"
)

// TestBuildRefusesSourceFileNameCaseVariants: a bundle built from a
// directory holding deny.CEDAR would silently leave that forbid out of
// what IAM signs; the build fails, naming the file.
func TestBuildRefusesSourceFileNameCaseVariants(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.cedar"), []byte(policyA), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "deny.CEDAR"), []byte("@id(\"f\")\nforbid (principal, action, resource);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(dir, testOptions("v1")); err == nil {
		t.Fatal("Build() left deny.CEDAR out silently, want an error naming it")
	}
}
