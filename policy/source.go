package policy

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Names of the optional files at the root of a policy source.
const (
	fileEntities   = "entities.json"
	fileSchema     = "schema.cedarschema"
	fileSchemaJSON = "schema.cedarschema.json"
	fileVersion    = "VERSION"
)

// sourceFile is one file read from the policy source.
type sourceFile struct {
	path string // slash-separated, relative to the root
	data []byte
}

// source is everything read from a policy source, in path order.
type source struct {
	policies []sourceFile
	entities *sourceFile
	schema   *sourceFile
	schemas  int // number of schema files seen (more than one is ambiguous)
	version  *sourceFile
	hash     string
}

// isHidden reports whether a directory entry must be skipped. Kubernetes
// ConfigMap volumes keep the real files in "..2024_..." directories behind a
// "..data" symlink; the visible names are symlinks into it, so reading the
// visible names (through the symlinks) sees each file exactly once.
func isHidden(name string) bool {
	return strings.HasPrefix(name, ".") && name != "."
}

// readSource reads every file Load cares about, sorted by path.
func readSource(fsys fs.FS) (*source, error) {
	src := &source{}
	var errs []error
	walk := func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, &LoadError{File: p, Err: detail(ErrRead, "%v", err)})
			return nil
		}
		if isHidden(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if linkedDir(fsys, d, p) {
			// WalkDir does not follow it: its policies (forbids too) would be silently left out.
			errs = append(errs, &LoadError{File: p, Err: detail(ErrRead,
				"a symlink to a directory is not followed; copy the directory in or link its files")})
			return nil
		}
		if !wanted(p) {
			if wanted(strings.ToLower(p)) {
				// deny.CEDAR: silently skipping it could drop a forbid.
				errs = append(errs, &LoadError{File: p, Err: detail(ErrRead,
					"named like a policy source file but for letter case; rename it to %s or remove it", strings.ToLower(path.Base(p)))})
			}
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs = append(errs, &LoadError{File: p, Err: detail(ErrRead, "%v", err)})
			return nil
		}
		src.add(sourceFile{path: p, data: data})
		return nil
	}
	if err := fs.WalkDir(fsys, ".", walk); err != nil {
		errs = append(errs, &LoadError{File: ".", Err: detail(ErrRead, "%v", err)})
	}
	if err := src.check(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	src.hash = contentHash(src.all())
	return src, nil
}

// linkedDir reports whether the entry d at p is a symlink to a directory.
func linkedDir(fsys fs.FS, d fs.DirEntry, p string) bool {
	if d.Type()&fs.ModeSymlink == 0 {
		return false
	}
	info, err := fs.Stat(fsys, p)
	return err == nil && info.IsDir()
}

// IsSourceFile reports whether the slash-separated relative path p is a
// file Load reads: *.cedar at any depth, or entities.json, a schema or
// VERSION at the root. Signed bundles carry exactly these files.
func IsSourceFile(p string) bool { return wanted(p) }

// wanted reports whether the file at p is part of a policy source.
func wanted(p string) bool {
	switch p {
	case fileEntities, fileSchema, fileSchemaJSON, fileVersion:
		return true
	}
	return path.Ext(p) == ".cedar"
}

func (s *source) add(f sourceFile) {
	switch f.path {
	case fileEntities:
		s.entities = &f
	case fileSchema, fileSchemaJSON:
		s.schema = &f
		s.schemas++
	case fileVersion:
		s.version = &f
	default:
		s.policies = append(s.policies, f)
	}
}

func (s *source) check() error {
	if s.schemas > 1 {
		return &LoadError{File: fileSchema, Err: detail(ErrSchema,
			"both %s and %s exist; keep exactly one", fileSchema, fileSchemaJSON)}
	}
	sort.Slice(s.policies, func(i, j int) bool { return s.policies[i].path < s.policies[j].path })
	return nil
}

// all returns every file read, sorted by path.
func (s *source) all() []sourceFile {
	files := append([]sourceFile(nil), s.policies...)
	for _, f := range []*sourceFile{s.entities, s.schema, s.version} {
		if f != nil {
			files = append(files, *f)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	return files
}

// contentHash is "sha256:" and the first 16 hex digits of a SHA-256 over the
// length-prefixed (path, content) pairs, so it depends on nothing but content.
func contentHash(files []sourceFile) string {
	h := sha256.New()
	var n [8]byte
	for _, f := range files {
		for _, b := range [][]byte{[]byte(f.path), f.data} {
			binary.BigEndian.PutUint64(n[:], uint64(len(b)))
			h.Write(n[:])
			h.Write(b)
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
}
