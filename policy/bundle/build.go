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
	path    string // slash-separated, relative to the directory
	data    []byte
	modTime time.Time
}

// Build archives the policy directory dir as a bundle with the given version
// (or, when version is empty, the trimmed content of dir/VERSION). The
// manifest's "created" time is the newest modification time among the
// included files, so the same directory always yields the same bytes.
//
// Only regular files with allowed names are included (see the package doc);
// hidden files and directories are skipped. Symlinks are followed only when
// they resolve to a regular file inside dir; any other symlink is an error.
func Build(dir, version string) ([]byte, error) {
	files, err := collect(dir)
	if err != nil {
		return nil, err
	}
	var created time.Time
	for _, f := range files {
		if f.modTime.After(created) {
			created = f.modTime
		}
	}
	return build(files, version, created)
}

// BuildAt is Build with an explicit "created" time.
func BuildAt(dir, version string, created time.Time) ([]byte, error) {
	files, err := collect(dir)
	if err != nil {
		return nil, err
	}
	return build(files, version, created)
}

func build(files []sourceFile, version string, created time.Time) ([]byte, error) {
	if version == "" {
		version = versionFile(files)
	}
	if err := checkVersion(version); err != nil {
		return nil, wrap(fmt.Errorf("%w: %v (pass a version or add a VERSION file)", ErrInvalid, err))
	}
	if err := checkBuildLimits(files); err != nil {
		return nil, err
	}
	m := &Manifest{Version: version, Created: created.Truncate(time.Second), Files: map[string]string{}}
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
