package bundle

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// visit decides what to do with one directory entry during collect. It
// returns the file to include (or nil), fs.SkipDir to skip a hidden
// directory, or an error.
func visit(root, p string, d fs.DirEntry) (*sourceFile, error) {
	if p == root {
		return nil, nil
	}
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return nil, err
	}
	rel = filepath.ToSlash(rel)
	if strings.HasPrefix(d.Name(), ".") {
		if d.IsDir() {
			return nil, fs.SkipDir
		}
		return nil, nil
	}
	if d.IsDir() {
		return nil, nil
	}
	if d.Type()&fs.ModeSymlink != 0 {
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			// WalkDir does not follow it: its forbids would be left out of what is signed.
			return nil, fmt.Errorf("%s: %w: a symlink to a directory is not followed; copy the directory in or link its files", rel, ErrInvalid)
		}
	}
	if !allowedPath(rel) {
		if allowedPath(strings.ToLower(rel)) {
			// deny.CEDAR: leaving it out could drop a forbid from what is signed.
			return nil, fmt.Errorf("%s: named like a policy source file but for letter case; rename or remove it", rel)
		}
		return nil, nil
	}
	if err := checkPath(rel); err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	target := p
	if d.Type()&fs.ModeSymlink != 0 {
		if target, err = resolveInside(root, p); err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
	}
	return readRegular(rel, target)
}

// resolveInside resolves the symlink p and refuses targets outside root.
func resolveInside(root, p string) (string, error) {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", fmt.Errorf("%w: symlink points outside the policy directory", ErrUnsafePath)
	}
	return target, nil
}

func readRegular(rel, target string) (*sourceFile, error) {
	info, err := os.Stat(target)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w: not a regular file", rel, ErrInvalid)
	}
	data, err := os.ReadFile(target)
	if err != nil {
		return nil, err
	}
	return &sourceFile{path: rel, data: data}, nil
}
