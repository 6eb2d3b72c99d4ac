package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateBlamesTheInputAtFault: when a manifest route does not fit
// IAM's schema, validate's summary names the manifest, not the policies;
// a policy reading what Tollgate never sets names the policies.
func TestValidateBlamesTheInputAtFault(t *testing.T) {
	src := "../../examples/quickstart"
	tests := []struct {
		name      string
		file      string // relative to the copied quickstart
		old, new  string
		blame     string
		notBlamed string
	}{
		{"manifest action not in schema", "manifest.yaml", "action: ReadOrder", "action: ReadOrdr",
			"FAIL: manifests ", "FAIL: policies"},
		{"policy reads an unknown context key", "policies/orders.cedar", "context.risk_score", "context.riskscore",
			"FAIL: policies ", "FAIL: manifests"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, src, dir)
			p := filepath.Join(dir, tt.file)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), tt.old) {
				t.Fatalf("%s lacks %q", tt.file, tt.old)
			}
			if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(data), tt.old, tt.new)), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := runCLI(t, "validate", filepath.Join(dir, "policies"), "--config", filepath.Join(dir, "tollgate.yaml"))
			if code != exitError {
				t.Fatalf("exit %d, want %d\n%s%s", code, exitError, out, errOut)
			}
			if !strings.Contains(errOut, tt.blame) || strings.Contains(errOut, tt.notBlamed) {
				t.Errorf("summary should say %q, not %q:\n%s", tt.blame, tt.notBlamed, errOut)
			}
		})
	}
}

// copyTree copies the regular files under src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o750)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}
