package policy

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestSymlinkedSubdirectoryIsRefused: a policy directory whose forbids sit
// in a symlinked subdirectory ("forbids -> ../shared/forbids", a git-sync
// or hand-made layout) must not load without them. WalkDir does not follow
// a symlinked directory, so it was silently left out and the permit alone
// was enforced. It is a load error naming the link.
func TestSymlinkedSubdirectoryIsRefused(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "policies")
	shared := filepath.Join(base, "shared")
	for _, d := range []string{dir, shared} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "main.cedar"), "@id(\"p\")\npermit (principal, action, resource);\n")
	write(filepath.Join(shared, "deny.cedar"), "@id(\"f\")\nforbid (principal, action, resource);\n")
	if err := os.Symlink(shared, filepath.Join(dir, "forbids")); err != nil {
		t.Fatal(err)
	}
	snap, err := LoadDir(dir, Options{})
	if !errors.Is(err, ErrRead) {
		t.Fatalf("LoadDir = %v policies, error %v; want ErrRead naming the symlinked directory", snapLen(snap), err)
	}
	var le *LoadError
	if !errors.As(err, &le) || le.File != "forbids" {
		t.Errorf("error %v does not name the link \"forbids\"", err)
	}
}

// TestSymlinkedFileIsRead: a symlink to a file (the ConfigMap visible
// names, a hand-made link) is still read as the file.
func TestSymlinkedFileIsRead(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "policies")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(base, "deny.cedar")
	if err := os.WriteFile(target, []byte("@id(\"f\")\nforbid (principal, action, resource);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "deny.cedar")); err != nil {
		t.Fatal(err)
	}
	snap, err := LoadDir(dir, Options{})
	if err != nil || snap.Len() != 1 {
		t.Fatalf("LoadDir = %v policies, %v; want the linked forbid", snapLen(snap), err)
	}
}

func snapLen(s *Snapshot) int {
	if s == nil {
		return -1
	}
	return s.Len()
}
