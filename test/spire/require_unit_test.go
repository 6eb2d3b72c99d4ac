package spire

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// recordingTB stands in for a *testing.T: Fatal and Skip record the call
// and end the goroutine, as the real ones do.
type recordingTB struct {
	testing.TB
	fatal, skipped bool
}

func (r *recordingTB) Helper()           {}
func (r *recordingTB) Fatal(args ...any) { r.fatal = true; runtime.Goexit() }
func (r *recordingTB) Skip(args ...any)  { r.skipped = true; runtime.Goexit() }

// outcome runs requireComponent on its own goroutine (Goexit ends it) and
// reports what it did to the test.
func outcome(err error) (fatal, skipped bool) {
	r := &recordingTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		requireComponent(r, err)
	}()
	<-done
	return r.fatal, r.skipped
}

// TestMissingSPIRE: with no SPIRE on PATH nor in the tools directory,
// TOLLGATE_E2E_REQUIRE=1 (what test/run.sh sets) fails the test; without it
// the test is skipped. With the binaries present nothing happens.
func TestMissingSPIRE(t *testing.T) {
	t.Setenv("PATH", "")
	empty := t.TempDir()
	_, _, missing := findSPIRE(empty)
	if !errors.Is(missing, errSPIREMissing) {
		t.Fatalf("findSPIRE with empty PATH and tools dir: err = %v, want errSPIREMissing", missing)
	}
	onlyServer := t.TempDir()
	harness.WriteFile(t, onlyServer, "spire-server", []byte("#!/bin/sh\n"))
	chmodX(t, filepath.Join(onlyServer, "spire-server"))
	if _, _, err := findSPIRE(onlyServer); !errors.Is(err, errSPIREMissing) {
		t.Fatalf("findSPIRE without spire-agent: err = %v, want errSPIREMissing", err)
	}

	tests := []struct {
		name, require string
		err           error
		fatal, skip   bool
	}{
		{"missing, required", "1", missing, true, false},
		{"missing, not required", "", missing, false, true},
		{"missing, require=0", "0", missing, false, true},
		{"present, required", "1", nil, false, false},
		{"present, not required", "", nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TOLLGATE_E2E_REQUIRE", tt.require)
			if fatal, skipped := outcome(tt.err); fatal != tt.fatal || skipped != tt.skip {
				t.Errorf("fatal=%v skipped=%v, want fatal=%v skipped=%v", fatal, skipped, tt.fatal, tt.skip)
			}
		})
	}
}

// TestFindSPIRE finds the binaries in the tools directory, and prefers PATH.
func TestFindSPIRE(t *testing.T) {
	tools, onPath := t.TempDir(), t.TempDir()
	for _, dir := range []string{tools, onPath} {
		for _, name := range []string{"spire-server", "spire-agent"} {
			harness.WriteFile(t, dir, name, []byte("#!/bin/sh\n"))
			chmodX(t, filepath.Join(dir, name))
		}
	}
	t.Setenv("PATH", "")
	if server, agent, err := findSPIRE(tools); err != nil || server != filepath.Join(tools, "spire-server") || agent != filepath.Join(tools, "spire-agent") {
		t.Fatalf("tools dir: %q %q %v", server, agent, err)
	}
	t.Setenv("PATH", onPath)
	if server, _, err := findSPIRE(tools); err != nil || server != filepath.Join(onPath, "spire-server") {
		t.Fatalf("PATH: %q %v", server, err)
	}
}

func chmodX(t *testing.T, path string) {
	t.Helper()
	if err := os.Chmod(path, 0o755); err != nil {
		t.Fatal(err)
	}
}
