package policy

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestWatcherSeesSameSizeSameMtimeEdit: a file replaced by one of the same
// size with the same modification time (a reproducible tarball extracted
// over the directory, every mtime fixed; cp -p; rsync -t) must still be
// reloaded. Names, sizes and mtimes alone missed it, and the old forbid or
// permit stayed in force with nothing logged.
func TestWatcherSeesSameSizeSameMtimeEdit(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the inode and change time are read on Linux only")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "p.cedar")
	writeFile(t, file, permitAll)
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	w, store, _, _ := newTestWatcher(t, dir)
	r := req(uid("User", "a"), uid("Action", "read"), uid("Doc", "1"), nil)
	if !store.Evaluate(r).Allow {
		t.Fatal("permit not in force")
	}
	// Same length as permitAll, a forbid instead, mtime put back.
	edited := "@id(\"all\") forbid (principal, action, resource);\n"
	if len(edited) != len(permitAll) {
		t.Fatalf("test setup: %d != %d bytes", len(edited), len(permitAll))
	}
	tmp := filepath.Join(dir, ".p.cedar.tmp")
	writeFile(t, tmp, edited)
	if err := os.Chtimes(tmp, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, file); err != nil {
		t.Fatal(err)
	}
	w.poll()
	if d := store.Evaluate(r); d.Allow {
		t.Fatalf("after a same-size, same-mtime edit to a forbid the old permit is still in force: %+v", d)
	}
}
