package policy

import (
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

const (
	// bobException is testdata/exception's INC-7, which expires 2030-01-02.
	bobException = `@id("bob-temporary-read")
@exception("INC-7")
@approved_by("carol")
@expires("2030-01-02T00:00:00Z")
permit (principal == User::"bob", action == Action::"read", resource);
`
	baseline        = `@id("baseline-read") permit (principal, action == Action::"read", resource);` + "\n"
	emergencyForbid = `@id("emergency-deny-bob") forbid (principal == User::"bob", action, resource);` + "\n"
)

// An exception that has expired must stop applying, never block a reload
// or a restart: otherwise an emergency forbid added next to it never
// takes effect and the older, more permissive version stays in force.
func TestExpiredExceptionDoesNotBlockRevocation(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "base.cedar"), baseline)
	writeFile(t, filepath.Join(dir, "exc.cedar"), bobException)
	clock := &fakeClock{now: testNow}
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	store := NewStore(m)
	w, err := NewWatcher(store, WatcherOptions{Dir: dir, Interval: time.Hour, Settle: time.Millisecond, LoadOptions: Options{Clock: clock.Now}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	clock.now = time.Date(2030, 1, 3, 0, 0, 0, 0, time.UTC) // INC-7 has expired
	writeFile(t, filepath.Join(dir, "emergency.cedar"), emergencyForbid)
	if err := w.ReloadNow(); err != nil {
		t.Fatalf("reload with an expired exception failed: %v", err)
	}
	bob := req(uid("User", "bob"), uid("Action", "read"), uid("Doc", "1"), nil)
	if d := store.Evaluate(bob); d.Allow || d.Reason != ReasonForbid {
		t.Errorf("emergency forbid not in force: %+v", d)
	}
	if _, ok := store.Current().Policy("emergency-deny-bob"); !ok {
		t.Error("emergency forbid not loaded")
	}
	if got := testutil.Value(t, reg, "tollgate_exceptions_expired", nil); got != 1 {
		t.Errorf("tollgate_exceptions_expired = %v, want 1", got)
	}

	// A restart (a fresh load) with the expired exception still on disk.
	s, err := LoadDir(dir, Options{Clock: clock.Now})
	if err != nil {
		t.Fatalf("restart with an expired exception failed: %v", err)
	}
	if got := s.ExpiredExceptions(clock.now); len(got) != 1 || got[0].Ticket != "INC-7" {
		t.Errorf("ExpiredExceptions = %+v", got)
	}
	if d := s.Evaluate(req(uid("User", "alice"), uid("Action", "read"), uid("Doc", "1"), nil)); !d.Allow {
		t.Errorf("baseline lost: %+v", d)
	}
}

// A new exception that is already expired never applies, and is loaded as
// an expired one (with a warning), not refused.
func TestNewExpiredExceptionIsDroppedWithWarning(t *testing.T) {
	var logs strings.Builder
	s, err := Load(mapFS(map[string]string{"base.cedar": baseline, "x/exc.cedar": bobException}),
		Options{Clock: func() time.Time { return time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC) },
			Logger: testLogger(&logs)})
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Evaluate(req(uid("User", "bob"), uid("Action", "read"), uid("Doc", "1"), nil)); d.Exceptions != nil {
		t.Errorf("expired exception applied: %+v", d)
	}
	if !strings.Contains(logs.String(), "INC-7") || !strings.Contains(logs.String(), "expired") {
		t.Errorf("expired exception not logged:\n%s", logs.String())
	}
}

// An exception refused (over the window, or malformed) drops only its own
// file; the rest of the directory loads. If that file also holds a
// forbid, the whole version is refused: a forbid is never dropped.
func TestRefusedExceptionDropsOnlyItsFile(t *testing.T) {
	overWindow := strings.Replace(bobException, "2030-01-02", "2030-06-01", 1)
	tests := []struct {
		name     string
		files    map[string]string
		wantErr  bool
		policies []string
	}{
		{"over the window", map[string]string{"base.cedar": baseline, "exc.cedar": overWindow,
			"emergency.cedar": emergencyForbid}, false, []string{"baseline-read", "emergency-deny-bob"}},
		{"no approver", map[string]string{"base.cedar": baseline,
			"exc.cedar": strings.Replace(bobException, `@approved_by("carol")`, "", 1)}, false, []string{"baseline-read"}},
		{"permit beside it is dropped too", map[string]string{"base.cedar": baseline,
			"exc.cedar": overWindow + `@id("other") permit (principal, action == Action::"write", resource);`},
			false, []string{"baseline-read"}},
		{"file also holds a forbid", map[string]string{"base.cedar": baseline,
			"exc.cedar": overWindow + emergencyForbid}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Load(mapFS(tt.files), Options{Clock: func() time.Time { return testNow },
				MaxExceptionWindow: 7 * 24 * time.Hour})
			if tt.wantErr {
				if !errors.Is(err, ErrException) || !strings.Contains(err.Error(), "forbid") ||
					!strings.Contains(err.Error(), "exc.cedar") {
					t.Fatalf("error %v, want ErrException naming exc.cedar and its forbid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, m := range s.Policies() {
				ids = append(ids, m.ID)
			}
			if strings.Join(ids, ",") != strings.Join(tt.policies, ",") {
				t.Errorf("policies %v, want %v", ids, tt.policies)
			}
			refused := s.Refused()
			if len(refused) != 1 || !errors.Is(refused[0], ErrException) || !strings.Contains(refused[0].Error(), "exc.cedar") {
				t.Errorf("Refused() = %v", refused)
			}
		})
	}
}

func testLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
