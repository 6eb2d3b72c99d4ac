package bundle

import (
	"os"
	"path/filepath"
	"strings"
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

// TestBuildRefusesSymlinkedSubdirectory: WalkDir does not follow a
// symlinked directory, so a build from a directory whose forbids sit in
// "forbids -> ../shared" signed a bundle without them. The build fails,
// naming the link.
func TestBuildRefusesSymlinkedSubdirectory(t *testing.T) {
	base := t.TempDir()
	dir, shared := filepath.Join(base, "policies"), filepath.Join(base, "policies", "..", "shared")
	for _, d := range []string{dir, shared} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "main.cedar"), []byte(policyA), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shared, "deny.cedar"), []byte("@id(\"f\")\nforbid (principal, action, resource);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(shared, filepath.Join(dir, "forbids")); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(dir, testOptions("v1")); err == nil || !strings.Contains(err.Error(), "forbids") {
		t.Fatalf("Build() = %v, want an error naming the symlinked directory forbids", err)
	}
}
