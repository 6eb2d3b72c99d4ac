package policy

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestExceptionLoadErrors(t *testing.T) {
	const scope = "permit (principal, action, resource);\n"
	tests := []struct {
		name, annotations string
		window            time.Duration
		want              string
	}{
		{"missing approver", `@exception("T-1") @expires("2030-01-02T00:00:00Z")`, 0,
			`missing @approved_by`},
		{"missing expiry", `@exception("T-1") @approved_by("carol")`, 0, `missing @expires`},
		{"bad time", `@exception("T-1") @approved_by("carol") @expires("next tuesday")`, 0,
			`@expires("next tuesday") is not an RFC3339 time`},
		{"beyond window", `@exception("T-1") @approved_by("carol") @expires("2030-03-01T00:00:00Z")`,
			30 * 24 * time.Hour, `more than the allowed 720h0m0s from now`},
		{"empty ticket", `@exception("") @approved_by("carol") @expires("2030-01-02T00:00:00Z")`, 0,
			`must name a ticket`},
		{"expiry without exception", `@expires("2030-01-02T00:00:00Z")`, 0, `@expires without @exception`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "// header\n@id(\"exc\")\n" + tt.annotations + "\n" + scope
			_, err := Load(mapFS(map[string]string{"x/e.cedar": src}),
				Options{Clock: func() time.Time { return testNow }, MaxExceptionWindow: tt.window})
			if !errors.Is(err, ErrException) {
				t.Fatalf("error %v, want ErrException", err)
			}
			if !strings.Contains(err.Error(), `policy: x/e.cedar:2:1: policy @id("exc"): `) ||
				!strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q lacks position, @id or %q", err, tt.want)
			}
		})
	}
}

func TestExceptionExpiresExactlyWithoutReload(t *testing.T) {
	clock := &fakeClock{now: testNow}
	s := mustLoadDir(t, "testdata/exception", Options{Clock: clock.Now, MaxExceptionWindow: 48 * time.Hour})
	expires := time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)
	bobRead := req(uid("User", "bob"), uid("Action", "read"), uid("Doc", "1"), nil)

	if got := s.ActiveExceptions(clock.now); len(got) != 1 || got[0].Ticket != "INC-7" || got[0].ApprovedBy != "carol" {
		t.Fatalf("ActiveExceptions = %+v", got)
	}
	if next, ok := s.NextExpiry(clock.now); !ok || !next.Equal(expires) {
		t.Fatalf("NextExpiry = %v, %v", next, ok)
	}
	steps := []struct {
		name   string
		at     time.Time
		allow  bool
		ticket []string
	}{
		{"well before", testNow, true, []string{"INC-7"}},
		{"one nanosecond before", expires.Add(-time.Nanosecond), true, []string{"INC-7"}},
		{"exactly at expiry", expires, false, nil},
		{"after", expires.Add(time.Hour), false, nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			clock.now = st.at
			d := s.Evaluate(bobRead)
			if d.Allow != st.allow || !slices.Equal(d.Exceptions, st.ticket) {
				t.Errorf("at %v: %+v, want allow=%v exceptions=%v", st.at, d, st.allow, st.ticket)
			}
		})
	}
	if got := s.ActiveExceptions(clock.now); len(got) != 0 {
		t.Errorf("ActiveExceptions after expiry = %+v", got)
	}
	if _, ok := s.NextExpiry(clock.now); ok {
		t.Error("NextExpiry after expiry should report none")
	}
	aliceRead := req(uid("User", "alice"), uid("Action", "read"), uid("Doc", "1"), nil)
	if d := s.Evaluate(aliceRead); !d.Allow || d.Exceptions != nil {
		t.Errorf("baseline policy must survive the expiry: %+v", d)
	}
}

func TestConcurrentEvaluateAcrossExpiry(t *testing.T) {
	var now atomic.Int64
	now.Store(testNow.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()).UTC() }
	s := mustLoadDir(t, "testdata/exception", Options{Clock: clock})
	bobRead := req(uid("User", "bob"), uid("Action", "read"), uid("Doc", "1"), nil)
	expires := time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				s.Evaluate(bobRead)
			}
		})
	}
	now.Store(expires.UnixNano())
	wg.Wait()
	if d := s.Evaluate(bobRead); d.Allow {
		t.Errorf("expired exception still allows: %+v", d)
	}
	if m, _ := s.Policy("bob-temporary-read"); m.Exception == nil || m.Exception.Ticket != "INC-7" {
		t.Errorf("Policy metadata lost the exception: %+v", m)
	}
}
