package policy

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

const (
	permitAll = "@id(\"all\") permit (principal, action, resource);\n"
	denyAll   = "@id(\"none\") forbid (principal, action, resource);\n"
)

func newTestWatcher(t *testing.T, dir string) (*Watcher, *Store, *prometheus.Registry, *bytes.Buffer) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	store := NewStore(m)
	var logs bytes.Buffer
	w, err := NewWatcher(store, WatcherOptions{Dir: dir, Interval: time.Hour, Settle: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	return w, store, reg, &logs
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatcherReload(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "p.cedar")
	writeFile(t, file, permitAll)
	w, store, reg, logs := newTestWatcher(t, dir)
	v1 := store.Current().Version()
	r := req(uid("User", "a"), uid("Action", "read"), uid("Doc", "1"), nil)

	steps := []struct {
		name      string
		content   string
		wantErr   error
		allow     bool
		newVer    bool
		successes float64
		failures  float64
	}{
		{"unchanged content", permitAll, nil, true, false, 2, 0},
		{"broken keeps last good", "@id(\"x\") permit (", ErrParse, true, false, 2, 1},
		{"good swaps", denyAll, nil, false, true, 3, 1},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			writeFile(t, file, st.content)
			err := w.ReloadNow()
			if !errors.Is(err, st.wantErr) && !(err == nil && st.wantErr == nil) {
				t.Fatalf("ReloadNow = %v, want %v", err, st.wantErr)
			}
			if d := store.Evaluate(r); d.Allow != st.allow {
				t.Errorf("Evaluate = %+v, want allow=%v", d, st.allow)
			}
			if changed := store.Current().Version() != v1; changed != st.newVer {
				t.Errorf("version changed = %v, want %v", changed, st.newVer)
			}
			if got := testutil.Value(t, reg, "tollgate_policy_reloads_total", map[string]string{"result": "success"}); got != st.successes {
				t.Errorf("success reloads = %v, want %v", got, st.successes)
			}
			if got := testutil.Value(t, reg, "tollgate_policy_reloads_total", map[string]string{"result": "error"}); got != st.failures {
				t.Errorf("error reloads = %v, want %v", got, st.failures)
			}
		})
	}
	if !strings.Contains(logs.String(), "policy reload failed") || !strings.Contains(logs.String(), "p.cedar:1") {
		t.Errorf("failed reload not logged with position:\n%s", logs)
	}
	if got := testutil.Value(t, reg, "tollgate_policy_info", map[string]string{"hash": v1, "version": v1}); got != 0 {
		t.Errorf("old info series still set: %v", got)
	}
	cur := store.Current()
	if got := testutil.Value(t, reg, "tollgate_policy_info", map[string]string{"hash": cur.Hash(), "version": cur.Version()}); got != 1 {
		t.Errorf("info for current = %v, want 1", got)
	}
}

func TestWatcherPollConfigMapSwap(t *testing.T) {
	dir := t.TempDir()
	writeConfigMap(t, dir, "..v1", map[string]string{"p.cedar": permitAll})
	w, store, _, _ := newTestWatcher(t, dir)
	v1 := store.Current().Version()

	w.poll() // nothing changed
	if store.Current().Version() != v1 {
		t.Fatal("version changed without a change on disk")
	}
	writeConfigMap(t, dir, "..v2", map[string]string{"p.cedar": denyAll})
	w.poll()
	if store.Current().Version() == v1 {
		t.Fatal("ConfigMap ..data swap not picked up")
	}
	if d := store.Evaluate(req(uid("User", "a"), uid("Action", "read"), uid("Doc", "1"), nil)); d.Allow {
		t.Errorf("new policy not in force: %+v", d)
	}
}

func TestWatcherErrors(t *testing.T) {
	if _, err := NewWatcher(NewStore(nil), WatcherOptions{}); !errors.Is(err, ErrWatcher) {
		t.Errorf("no Dir or Load: %v", err)
	}
	if _, err := NewWatcher(NewStore(nil), WatcherOptions{Dir: t.TempDir(), Settle: time.Millisecond}); !errors.Is(err, ErrNoPolicies) {
		t.Errorf("empty dir and empty store: %v", err)
	}
	w, err := NewWatcher(NewStore(nil), WatcherOptions{Settle: time.Millisecond, Load: func() (*Snapshot, error) {
		return Load(mapFS(map[string]string{"p.cedar": permitAll}), Options{})
	}})
	if err != nil {
		t.Fatal(err)
	}
	if first, second := w.Close(), w.Close(); first != nil || second != nil {
		t.Error("Close must be idempotent and return nil")
	}
}

func TestMetricsExceptionsAndErrors(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	store := NewStore(m)
	store.Swap(mustLoadDir(t, "testdata/exception", Options{}))
	if got := testutil.Value(t, reg, "tollgate_exceptions_active", nil); got != 1 {
		t.Errorf("exceptions_active = %v, want 1", got)
	}
	if got := testutil.Value(t, reg, "tollgate_exception_next_expiry_seconds", nil); got != float64(time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC).Unix()) {
		t.Errorf("exception_next_expiry_seconds = %v", got)
	}
	store.Swap(mustLoadDir(t, "testdata/basic", Options{}))
	store.Evaluate(req(uid("User", "root"), uid("Action", "delete"), uid("Order", "1"), nil))
	if got := testutil.Value(t, reg, "tollgate_policy_errors_total", map[string]string{"effect": "forbid"}); got != 1 {
		t.Errorf("policy_errors_total{effect=forbid} = %v, want 1", got)
	}
	if got := testutil.Value(t, reg, "tollgate_policy_count", nil); got != 6 {
		t.Errorf("policy_count = %v, want 6", got)
	}
	if _, err := NewMetrics(nil); err != nil {
		t.Errorf("NewMetrics(nil): %v", err)
	}
}

// A policy directory reached through a symlink (git-sync --link, a
// "current -> releases/N" swap) is watched through the link.
func TestWatcherPollSymlinkedDir(t *testing.T) {
	base := t.TempDir()
	for name, body := range map[string]string{"r1": permitAll, "r2": denyAll} {
		if err := os.Mkdir(filepath.Join(base, name), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(base, name, "p.cedar"), body)
	}
	link := filepath.Join(base, "current")
	if err := os.Symlink("r1", link); err != nil {
		t.Fatal(err)
	}
	w, store, _, _ := newTestWatcher(t, link)
	v1 := store.Current().Version()
	writeFile(t, filepath.Join(base, "r1", "extra.cedar"), "@id(\"extra\") forbid (principal, action, resource);\n")
	w.poll()
	v2 := store.Current().Version()
	if v2 == v1 {
		t.Fatal("a change behind the symlinked directory was not picked up")
	}
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("r2", link); err != nil {
		t.Fatal(err)
	}
	w.poll()
	if store.Current().Version() == v2 {
		t.Fatal("repointing the symlink was not picked up")
	}
}

// A reload that fails is retried on the next poll even when nothing on
// disk changed again: the failure may have been transient.
func TestWatcherRetriesFailedReload(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "p.cedar"), permitAll)
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	store := NewStore(m)
	fail := true
	loads := 0
	w, err := NewWatcher(store, WatcherOptions{Dir: dir, Interval: time.Hour, Settle: time.Millisecond, Load: func() (*Snapshot, error) {
		loads++
		if loads > 1 && fail {
			return nil, errors.New("transient read error")
		}
		return LoadDir(dir, Options{})
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	v1 := store.Current().Version()
	writeFile(t, filepath.Join(dir, "p.cedar"), denyAll)
	w.poll() // fails
	if store.Current().Version() != v1 {
		t.Fatal("a failed reload replaced the snapshot")
	}
	fail = false
	w.poll() // nothing changed on disk since, but the last load failed
	if store.Current().Version() == v1 {
		t.Fatal("the failed reload was not retried")
	}
}
