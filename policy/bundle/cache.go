package bundle

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Last-known-good layout in CacheDir: bundle-<hex>.tar.gz and its .sig, and
// the file "current" naming <hex>. Replacing "current" (write to a temporary
// file, then rename) is the atomic commit.
const (
	currentFile   = "current"
	archivePrefix = "bundle-"
	archiveSuffix = ".tar.gz"
)

func archiveFile(hex string) string { return archivePrefix + hex + archiveSuffix }

// persist saves the accepted bundle as the last-known-good (accept saved
// its sequence as the floor before enforcing it).
func (f *Fetcher) persist(archive, sig []byte) error {
	dir := f.cfg.CacheDir
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	hex := strings.TrimPrefix(digestOf(archive), digestPrefix)
	name := archiveFile(hex)
	for _, w := range []struct {
		name string
		data []byte
	}{{name, archive}, {name + SignatureSuffix, sig}, {currentFile, []byte(hex + "\n")}} {
		if err := writeAtomic(dir, w.name, w.data); err != nil {
			return err
		}
	}
	removeOthers(dir, name)
	return nil
}

// loadLastKnownGood verifies and applies the cached bundle, and restores
// LastSuccess from the time recorded with it.
func (f *Fetcher) loadLastKnownGood() error {
	f.checkMu.Lock()
	defer f.checkMu.Unlock()
	dir := f.cfg.CacheDir
	if dir == "" {
		return errors.New("no cache directory configured")
	}
	cur := filepath.Join(dir, currentFile)
	data, err := os.ReadFile(cur)
	if err != nil {
		return err
	}
	hex := strings.TrimSpace(string(data))
	if !validDigest(digestPrefix + hex) {
		return fmt.Errorf("%s: %w: not a sha256 hex digest", cur, ErrInvalid)
	}
	path := filepath.Join(dir, archiveFile(hex))
	archive, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sig, err := os.ReadFile(path + SignatureSuffix)
	if err != nil {
		return err
	}
	if digestOf(archive) != digestPrefix+hex {
		return fmt.Errorf("%s: %w: digest does not match its name", path, ErrTampered)
	}
	if err := f.accept(archive, sig, "last-known-good"); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	f.persisted = f.digest
	if info, err := os.Stat(cur); err == nil {
		// Not later than now: the cache is not trusted for freshness.
		f.lastSuccess.Store(min(info.ModTime().UnixNano(), f.cfg.Clock().UnixNano()))
	}
	f.cfg.Logger.Warn("serving the last-known-good policy bundle", "path", path,
		"last_success", f.LastSuccess().Format(time.RFC3339))
	return nil
}

// touchCache records t as the last successful check of the cached bundle,
// if it is the bundle in use.
func (f *Fetcher) touchCache(t time.Time) error {
	if f.cfg.CacheDir == "" || f.persisted == "" || f.persisted != f.digest {
		return nil
	}
	err := os.Chtimes(filepath.Join(f.cfg.CacheDir, currentFile), t, t)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// writeAtomic writes dir/name via a synced temporary file and a rename.
func writeAtomic(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, ".tmp-"+name+"-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// removeOthers deletes cached bundles other than keep (best effort).
func removeOthers(dir, keep string) {
	matches, _ := filepath.Glob(filepath.Join(dir, archivePrefix+"*"))
	for _, m := range matches {
		base := filepath.Base(m)
		if base != keep && base != keep+SignatureSuffix {
			_ = os.Remove(m)
		}
	}
}
