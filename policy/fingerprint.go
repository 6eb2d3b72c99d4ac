package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// fingerprint is a cheap summary of the watched directory: the names, sizes,
// modification times and (on Linux) inodes and change times of the files
// Load reads, following symlinks (so a
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
		if d.IsDir() || !fingerprinted(filepath.ToSlash(rel), d) {
			return nil
		}
		info, err := os.Stat(p)
		if err != nil {
			fmt.Fprintf(h, "%s\x00missing\x00", rel)
			return nil //nolint:nilerr // a vanished file is part of the fingerprint, not a reason to stop
		}
		ino, ctime := changeStamp(info)
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00%d\x00%d\x00", rel, info.Size(), info.ModTime().UnixNano(), ino, ctime)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}

// fingerprinted reports whether the entry at rel is part of the
// fingerprint: every file Load reads, and every name Load refuses rather
// than skip (a source file name but for case, a symlink that may be to a
// directory), so adding one makes the next poll reload and fail loudly.
func fingerprinted(rel string, d fs.DirEntry) bool {
	return wanted(rel) || wanted(strings.ToLower(rel)) || d.Type()&fs.ModeSymlink != 0
}
