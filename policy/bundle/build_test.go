package bundle

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestBuildIsDeterministic(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"b.cedar": policyA, "a.cedar": policyA, "sub/c.cedar": policyA, "entities.json": "[]",
	})
	first, err := Build(dir, testOptions("v1"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := Build(dir, testOptions("v1"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Fatal("two builds of the same directory differ")
	}
	other, err := Build(dir, testOptions("v2"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(first, other) {
		t.Fatal("builds with different versions are identical")
	}
}

func TestBuildSelectsPolicyFiles(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"main.cedar": policyA, "sub/deep/x.cedar": policyA, "entities.json": "[]",
		"schema.cedarschema": "", "VERSION": " 2024.1\n",
		"README.md": "no", "sub/entities.json": "no", ".git/config": "no", ".hidden.cedar": "no",
	})
	archive, err := Build(dir, testOptions(""))
	if err != nil {
		t.Fatal(err)
	}
	fsys, m, err := Open(archive, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "2024.1" {
		t.Errorf("version = %q, want the VERSION file's 2024.1", m.Version)
	}
	var got []string
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			got = append(got, p)
		}
		return err
	})
	want := []string{"VERSION", "entities.json", "main.cedar", "schema.cedarschema", "sub/deep/x.cedar"}
	if len(got) != len(want) {
		t.Fatalf("files = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("files = %v, want %v", got, want)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	outside := writeDir(t, map[string]string{"secret.cedar": policyA})
	tests := []struct {
		name    string
		setup   func(dir string) error
		version string
		want    error
	}{
		{"no version", func(string) error { return nil }, "", ErrInvalid},
		{"version with space", func(string) error { return nil }, "v 1", ErrInvalid},
		{"symlink escaping the directory", func(dir string) error {
			return os.Symlink(filepath.Join(outside, "secret.cedar"), filepath.Join(dir, "evil.cedar"))
		}, "v1", ErrUnsafePath},
		{"symlink to a directory", func(dir string) error {
			return os.Symlink(filepath.Join(dir, "sub"), filepath.Join(dir, "loop.cedar"))
		}, "v1", ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeDir(t, map[string]string{"main.cedar": policyA, "sub/x.cedar": policyA})
			if err := tt.setup(dir); err != nil {
				t.Fatal(err)
			}
			_, err := Build(dir, testOptions(tt.version))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Build() error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestBuildFollowsSymlinkInside(t *testing.T) {
	dir := writeDir(t, map[string]string{"real/main.cedar": policyA})
	if err := os.Symlink(filepath.Join("real", "main.cedar"), filepath.Join(dir, "link.cedar")); err != nil {
		t.Fatal(err)
	}
	archive, err := Build(dir, testOptions("v1"))
	if err != nil {
		t.Fatal(err)
	}
	fsys, _, err := Open(archive, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(fsys, "link.cedar")
	if err != nil || string(data) != policyA {
		t.Fatalf("link.cedar = %q, %v; want the target's content", data, err)
	}
}

func TestBuildMissingDirectory(t *testing.T) {
	_, err := Build(filepath.Join(t.TempDir(), "nope"), testOptions("v1"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Build() error = %v, want not exist", err)
	}
}
