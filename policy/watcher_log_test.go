package policy

import (
	"bytes"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStartFailureIsNotAReload: a first load that fails is reported to the
// caller (which fails to start); it is not logged as a "reload" keeping a
// "last good snapshot" that does not exist.
func TestStartFailureIsNotAReload(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "p.cedar"), "permit(")
	var logs bytes.Buffer
	_, err := NewWatcher(NewStore(nil), WatcherOptions{Dir: dir, Settle: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err == nil {
		t.Fatal("a broken first load started")
	}
	if strings.Contains(logs.String(), "reload") || strings.Contains(logs.String(), "last good") {
		t.Errorf("start failure logged as a reload:\n%s", logs.String())
	}
}

// TestRepeatingFailureLoggedAtStartAndEnd: a broken policy file is logged
// at ERROR once when the failure starts, not on every tick, and its end is
// logged with the number of failed reloads.
func TestRepeatingFailureLoggedAtStartAndEnd(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "p.cedar"), permitAll)
	w, _, _, logs := newTestWatcher(t, dir)
	writeFile(t, filepath.Join(dir, "p.cedar"), "permit(")
	for range 5 {
		w.poll()
	}
	if n := strings.Count(logs.String(), "level=ERROR"); n != 1 {
		t.Errorf("%d ERROR lines for one broken file, want 1:\n%s", n, logs.String())
	}
	writeFile(t, filepath.Join(dir, "p.cedar"), denyAll)
	w.poll()
	if !strings.Contains(logs.String(), "failed_reloads=5") {
		t.Errorf("recovery not logged with the count of failures:\n%s", logs.String())
	}
}

// TestDirectoryRaceIsNotAnOptionsError: a directory that changed while it
// was read is ErrChangedDuringRead, logged below ERROR, never "invalid
// watcher options".
func TestDirectoryRaceIsNotAnOptionsError(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "p.cedar"), permitAll)
	var logs bytes.Buffer
	n := 0
	w, err := NewWatcher(NewStore(nil), WatcherOptions{Dir: dir, Interval: time.Hour, Settle: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), Load: func() (*Snapshot, error) {
			n++
			if n > 1 {
				writeFile(t, filepath.Join(dir, "p.cedar"), strings.Repeat(" ", n)+denyAll)
			}
			return LoadDir(dir, Options{})
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	writeFile(t, filepath.Join(dir, "p.cedar"), denyAll)
	err = w.ReloadNow()
	if !errors.Is(err, ErrChangedDuringRead) || errors.Is(err, ErrWatcher) {
		t.Errorf("err = %v, want ErrChangedDuringRead", err)
	}
	if strings.Contains(logs.String(), "invalid watcher options") || strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a routine race logged as an error:\n%s", logs.String())
	}
}
