package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWatcherNoticesRefusedNames: a file Load refuses rather than skip
// (deny.CEDAR, a symlinked subdirectory) must make the next poll reload
// and fail loudly. The fingerprint left such names out, so adding one to a
// loaded directory changed nothing: no reload, no error, no failed-reload
// count, and the forbid it holds silently not in force.
func TestWatcherNoticesRefusedNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		add  func(t *testing.T, dir string)
	}{
		{"deny.CEDAR", func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "deny.CEDAR"), denyAll) }},
		{"forbids", func(t *testing.T, dir string) {
			shared := t.TempDir()
			writeFile(t, filepath.Join(shared, "deny.cedar"), denyAll)
			if err := os.Symlink(shared, filepath.Join(dir, "forbids")); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "p.cedar"), permitAll)
			w, _, _, logs := newTestWatcher(t, dir)
			tc.add(t, dir)
			w.poll()
			if !strings.Contains(logs.String(), tc.name) {
				t.Fatalf("after adding %s, the poll logged no refused reload naming it:\n%s", tc.name, logs)
			}
		})
	}
}
