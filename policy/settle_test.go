package policy

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	readPermit = `@id("read") permit (principal, action == Action::"read", resource);` + "\n"
	denyFrozen = `@id("deny-frozen") forbid (principal, action, resource == Doc::"frozen");` + "\n"
)

// An empty .cedar file (or one with only whitespace and comments) is a
// half-written or truncated file, never a valid part of a version.
func TestLoadRefusesEmptyPolicyFile(t *testing.T) {
	for name, body := range map[string]string{
		"zero bytes": "", "whitespace": " \n\t\n", "only comments": "// forbid coming soon\n  // more\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load(mapFS(map[string]string{"a.cedar": readPermit, "sub/b.cedar": body}), Options{})
			if !errors.Is(err, ErrEmptyFile) || !strings.Contains(err.Error(), "policy: sub/b.cedar: ") {
				t.Fatalf("error %v, want ErrEmptyFile naming sub/b.cedar", err)
			}
		})
	}
}

// A version with no policies denies every request: it is refused unless
// the configuration explicitly allows it.
func TestLoadEmptyVersionNeedsAllowEmpty(t *testing.T) {
	fsys := mapFS(map[string]string{"entities.json": "[]"})
	if _, err := Load(fsys, Options{}); !errors.Is(err, ErrNoPolicies) {
		t.Fatalf("error %v, want ErrNoPolicies", err)
	}
	s, err := Load(fsys, Options{AllowEmpty: true})
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Evaluate(req(uid("User", "a"), uid("Action", "read"), uid("Doc", "1"), nil)); s.Len() != 0 || d.Allow {
		t.Errorf("empty version: Len=%d decision %+v", s.Len(), d)
	}
}

// A directory being written is swapped in only once it reads identically
// twice, a settle interval apart: a file truncated at a policy boundary is
// valid Cedar that drops the trailing forbid.
func TestWatcherWaitsForTheDirectoryToSettle(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "p.cedar")
	writeFile(t, file, readPermit)
	store := NewStore(nil)
	w, err := NewWatcher(store, WatcherOptions{Dir: dir, Interval: time.Hour, Settle: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	v1 := store.Current().Hash()

	// IAM's tool writes the new version in two steps; the watcher reads
	// between them, then again during its settle wait.
	writeFile(t, file, strings.Replace(readPermit, `"read")`, `"read2")`, 1)) // truncated at the boundary
	waits := 0
	w.wait = func(ctx context.Context, d time.Duration) bool {
		waits++
		if waits == 1 {
			writeFile(t, file, strings.Replace(readPermit, `"read")`, `"read2")`, 1)+denyFrozen)
		}
		return true
	}
	frozen := req(uid("User", "a"), uid("Action", "read"), uid("Doc", "frozen"), nil)
	err = w.ReloadNow()
	if d := store.Evaluate(frozen); d.Allow && store.Current().Hash() != v1 {
		t.Fatalf("the truncated version was swapped in: %+v (reload error %v)", d, err)
	}
	if err == nil && waits < 2 {
		t.Fatalf("reload succeeded after %d settle wait(s); the content changed during the first", waits)
	}
	if err := w.ReloadNow(); err != nil {
		t.Fatal(err)
	}
	if d := store.Evaluate(frozen); d.Allow || d.Reason != ReasonForbid {
		t.Errorf("settled version not in force: %+v", d)
	}
}

// A Kubernetes ConfigMap update swaps "..data" first and creates the
// visible symlink of a new key afterwards. Reading through "..data" sees
// the whole new version, including a new emergency-forbid file.
func TestLoadConfigMapReadsThroughData(t *testing.T) {
	dir := t.TempDir()
	writeConfigMap(t, dir, "..v1", map[string]string{"p.cedar": readPermit})
	writeConfigMap(t, dir, "..v2", map[string]string{"p.cedar": readPermit})
	if err := os.WriteFile(filepath.Join(dir, "..v2", "emergency.cedar"), []byte(denyFrozen), 0o644); err != nil {
		t.Fatal(err) // the kubelet has not yet linked dir/emergency.cedar
	}
	s := mustLoadDir(t, dir, Options{})
	if _, ok := s.Policy("deny-frozen"); !ok {
		t.Errorf("the new key behind ..data was not loaded: %v", s.Policies())
	}
}

// The watcher follows a ConfigMap "..data" swap that adds a key, before
// the kubelet has created the key's visible link.
func TestWatcherConfigMapSwapAddsKey(t *testing.T) {
	dir := t.TempDir()
	writeConfigMap(t, dir, "..v1", map[string]string{"p.cedar": readPermit})
	w, store, _, _ := newTestWatcher(t, dir)
	frozen := req(uid("User", "a"), uid("Action", "read"), uid("Doc", "frozen"), nil)
	if d := store.Evaluate(frozen); !d.Allow {
		t.Fatalf("v1: %+v", d)
	}
	if err := os.Mkdir(filepath.Join(dir, "..v2"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"p.cedar": readPermit, "emergency.cedar": denyFrozen} {
		writeFile(t, filepath.Join(dir, "..v2", name), body)
	}
	if err := os.Symlink("..v2", filepath.Join(dir, "..data_tmp")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	w.poll()
	if d := store.Evaluate(frozen); d.Allow || d.Reason != ReasonForbid {
		t.Errorf("the new key of the swapped version is not in force: %+v", d)
	}
}
