package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// sourceFile is one file collected from a policy directory.
type sourceFile struct {
	path string // slash-separated, relative to the directory
	data []byte
}

// BuildOptions are the signed facts a bundle's manifest carries besides its
// files. Every field but Version is required, so the same directory and
// options always yield the same bytes.
type BuildOptions struct {
	// Version labels the bundle; empty takes the trimmed dir/VERSION.
	Version string
	// Sequence orders the publisher's bundles; it must increase with every
	// bundle published (a CI build number, or the build time in seconds).
	Sequence uint64
	// Created is the build time.
	Created time.Time
	// Expires is when the bundle stops being fresh: after Created, at most
	// MaxValidity later.
	Expires time.Time
}

// Build archives the policy directory dir as a bundle.
//
// Only regular files with allowed names are included (see the package doc);
// hidden files and directories are skipped. Symlinks are followed only when
// they resolve to a regular file inside dir; any other symlink is an error.
func Build(dir string, o BuildOptions) ([]byte, error) {
	files, err := collect(dir)
	if err != nil {
		return nil, err
	}
	return build(files, o)
}

func build(files []sourceFile, o BuildOptions) ([]byte, error) {
	version := o.Version
	if version == "" {
		version = versionFile(files)
	}
	if err := checkVersion(version); err != nil {
		return nil, wrap(fmt.Errorf("%w: %w (pass a version or add a VERSION file)", ErrInvalid, err))
	}
	if err := checkBuildLimits(files); err != nil {
		return nil, err
	}
	m := &Manifest{Version: version, Sequence: o.Sequence, Created: o.Created.Truncate(time.Second),
		Expires: o.Expires.Truncate(time.Second), Files: map[string]string{}}
	if err := m.checkFreshness(); err != nil {
		return nil, wrap(fmt.Errorf("%w: %w", ErrInvalid, err))
	}
	for _, f := range files {
		m.Files[f.path] = digestOf(f.data)
	}
	mdata, err := m.marshal()
	if err != nil {
		return nil, wrap(err)
	}
	entries := append([]sourceFile{{path: manifestName, data: mdata}}, files...)
	out, err := writeArchive(entries)
	if err != nil {
		return nil, wrap(fmt.Errorf("writing archive: %w", err))
	}
	return out, nil
}

func versionFile(files []sourceFile) string {
	for _, f := range files {
		if f.path == "VERSION" {
			return strings.TrimSpace(string(f.data))
		}
	}
	return ""
}

func checkBuildLimits(files []sourceFile) error {
	l := Limits{}.withDefaults()
	var total int64
	for _, f := range files {
		total += int64(len(f.data))
	}
	if len(files) > l.MaxFiles || total > l.MaxTotalBytes {
		return wrap(fmt.Errorf("%w: %d files, %d bytes (limits: %d files, %d bytes)",
			ErrTooLarge, len(files), total, l.MaxFiles, l.MaxTotalBytes))
	}
	return nil
}

// writeArchive writes entries, in order, as a deterministic .tar.gz.
func writeArchive(entries []sourceFile) ([]byte, error) {
	var buf bytes.Buffer
	gz, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		hdr := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     e.path,
			Size:     int64(len(e.data)),
			Mode:     0o644,
			ModTime:  time.Unix(0, 0),
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// collect walks dir and returns the files a bundle carries, sorted by path.
func collect(dir string) ([]sourceFile, error) {
	root, err := filepath.Abs(dir)
	if err == nil {
		root, err = filepath.EvalSymlinks(root)
	}
	if err != nil {
		return nil, wrap(fmt.Errorf("policy directory %s: %w", dir, err))
	}
	var files []sourceFile
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		f, err := visit(root, p, d)
		if err != nil {
			return err
		}
		if f != nil {
			files = append(files, *f)
		}
		return nil
	})
	if err != nil {
		return nil, wrap(fmt.Errorf("policy directory %s: %w", dir, err))
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	return files, nil
}
