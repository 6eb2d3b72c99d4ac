package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// serve leaves out a file with a refused exception, but IAM's tools never
// package one: bundle build fails on it like validate does.
func TestBundleBuildRefusesRefusedException(t *testing.T) {
	out := filepath.Join(t.TempDir(), "b.tar.gz")
	code, o, e := runCLI(t, "bundle", "build", "testdata/exc_refused", "-o", out, "--version", "v1", "--max-exception-window", "168h")
	if code != exitError || !strings.Contains(o+e, `exc.cedar:1:1: policy @id("break-glass")`) ||
		!strings.Contains(o+e, "more than the allowed 168h0m0s") {
		t.Fatalf("exit %d (want %d)\n%s%s", code, exitError, o, e)
	}
}
