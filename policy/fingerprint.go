package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// fingerprint is a cheap summary of the watched directory: the names, sizes
// and modification times of the files Load reads, following symlinks (so a
// Kubernetes ConfigMap "..data" swap changes it). "" without a directory.
func (w *Watcher) fingerprint() string {
	if w.dir == "" {
		return ""
	}
	h := sha256.New()
	// A trailing separator makes WalkDir follow a symlinked root (a
	// "current -> releases/N" swap, git-sync --link); the resolved target
	// is part of the fingerprint, so repointing the link changes it.
	// A ConfigMap volume is read through "..data" (see sourceRoot), whose
	// target names the version.
	dir, err := sourceRoot(w.dir)
	if err != nil {
		return "error"
	}
	root := filepath.Clean(dir) + string(os.PathSeparator)
	target, _ := filepath.EvalSymlinks(dir)
	fmt.Fprintf(h, "%s\x00", target)
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			fmt.Fprintf(h, "%s\x00error\x00", p)
			return nil //nolint:nilerr // an unreadable entry is part of the fingerprint, not a reason to stop
		}
		if isHidden(d.Name()) && p != root {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() || !wanted(filepath.ToSlash(rel)) {
			return nil
		}
		info, err := os.Stat(p)
		if err != nil {
			fmt.Fprintf(h, "%s\x00missing\x00", rel)
			return nil //nolint:nilerr // a vanished file is part of the fingerprint, not a reason to stop
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00", rel, info.Size(), info.ModTime().UnixNano())
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}
