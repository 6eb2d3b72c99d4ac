package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlagsRefused: a bad flag is refused with its reason before anything
// is built.
func TestFlagsRefused(t *testing.T) {
	dir := t.TempDir()
	emptyCA := filepath.Join(dir, "empty.crt")
	if err := os.WriteFile(emptyCA, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := func() string { return filepath.Join(t.TempDir(), "out") }
	ok := []string{"-revision", "abc", "-version", "v1.0.0"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no out", ok, "-out is required"},
		{"latest", []string{"-out", fresh(), "-revision", "abc", "-version", "latest"}, "never latest"},
		{"no version", []string{"-out", fresh(), "-revision", "abc"}, "not a valid image tag"},
		{"bad tag", []string{"-out", fresh(), "-revision", "abc", "-version", "v1/2"}, "not a valid image tag"},
		{"no revision", []string{"-out", fresh(), "-version", "v1"}, "-revision"},
		{"modified", append([]string{"-out", fresh(), "-modified", "yes"}, ok...), "want true or false"},
		{"arch", append([]string{"-out", fresh(), "-arch", "amd64,s390x"}, ok...), "want amd64 and/or arm64"},
		{"out exists", append([]string{"-out", dir}, ok...), "already exists"},
		{"empty CA", append([]string{"-out", fresh(), "-ca-file", emptyCA}, ok...), "holds no PEM certificate"},
		{"missing CA", append([]string{"-out", fresh(), "-ca-file", filepath.Join(dir, "none")}, ok...), "ca-certificates"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(tt.args, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
			}
		})
	}
}
