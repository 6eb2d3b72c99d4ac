package adminui

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tollgate-authz/tollgate/authz"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newClock() *fakeClock { return &fakeClock{now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)} }

func allowSummary(i int) authz.DecisionSummary {
	return authz.DecisionSummary{ID: fmt.Sprint("d-", i), Allowed: true, Outcome: "allow", Code: "permit",
		ActionLabel: "ReadOrder", Policies: []string{"frontend-reads"}}
}

func denySummary(i int, policies ...string) authz.DecisionSummary {
	return authz.DecisionSummary{ID: fmt.Sprint("d-", i), Outcome: "forbidden", Code: "forbid",
		ActionLabel: "DeleteOrder", Policies: policies}
}

// TestRingKeepsTheLastRecentSize: the tail is bounded; the newest come
// first and the oldest are dropped.
func TestRingKeepsTheLastRecentSize(t *testing.T) {
	r := NewRing(newClock().Now)
	if got := r.Recent(false); len(got) != 0 {
		t.Fatalf("empty ring holds %d", len(got))
	}
	total := RecentSize + 37
	for i := range total {
		r.ObserveDecision(allowSummary(i))
	}
	got := r.Recent(false)
	if len(got) != RecentSize {
		t.Fatalf("ring holds %d, want %d", len(got), RecentSize)
	}
	if got[0].ID != fmt.Sprint("d-", total-1) || got[RecentSize-1].ID != fmt.Sprint("d-", total-RecentSize) {
		t.Errorf("newest %s, oldest %s", got[0].ID, got[RecentSize-1].ID)
	}
}

func TestRingDeniesOnly(t *testing.T) {
	r := NewRing(newClock().Now)
	for i := range 10 {
		if i%3 == 0 {
			r.ObserveDecision(denySummary(i, "no-delete"))
		} else {
			r.ObserveDecision(allowSummary(i))
		}
	}
	got := r.Recent(true)
	if len(got) != 4 {
		t.Fatalf("denies = %d, want 4", len(got))
	}
	for _, e := range got {
		if e.Allowed {
			t.Errorf("allow %s in the deny filter", e.ID)
		}
	}
	if got[0].ID != "d-9" || got[3].ID != "d-0" {
		t.Errorf("order: %s … %s", got[0].ID, got[3].ID)
	}
}

// TestRingDeniesByMinute: denies are summed by policy, action and code over
// the last Minutes minutes; older minutes drop out, and a deny no policy
// determined counts as "none".
func TestRingDeniesByMinute(t *testing.T) {
	c := newClock()
	r := NewRing(c.Now)
	r.ObserveDecision(denySummary(1, "old-forbid"))
	c.Add(Minutes * time.Minute) // the first minute is now out of the window
	r.ObserveDecision(denySummary(2, "no-delete"))
	r.ObserveDecision(denySummary(3, "no-delete", "also"))
	c.Add(time.Minute)
	r.ObserveDecision(authz.DecisionSummary{Outcome: "unauthenticated", Code: "identity_missing", ActionLabel: "none"})
	r.ObserveDecision(allowSummary(5))
	d := r.Denies()
	if d.Total != 3 || d.Minutes != Minutes || len(d.PerMin) != Minutes {
		t.Fatalf("denies = %+v", d)
	}
	want := []Count{{"no-delete", 2}, {"also", 1}, {"none", 1}}
	if fmt.Sprint(d.ByPolicy) != fmt.Sprint(want) {
		t.Errorf("by policy = %v, want %v", d.ByPolicy, want)
	}
	if fmt.Sprint(d.ByAction) != fmt.Sprint([]Count{{"DeleteOrder", 2}, {"none", 1}}) {
		t.Errorf("by action = %v", d.ByAction)
	}
	last, prev := d.PerMin[Minutes-1], d.PerMin[Minutes-2]
	if last.Denies != 1 || last.Allows != 1 || prev.Denies != 2 || !last.Start.After(prev.Start) {
		t.Errorf("per minute: prev %+v last %+v", prev, last)
	}
	c.Add(Minutes * time.Minute)
	if d := r.Denies(); d.Total != 0 || len(d.ByPolicy) != 0 {
		t.Errorf("after the window: %+v", d)
	}
}

// TestRingBoundsKeysPerMinute: a minute counts at most maxKeys distinct
// policies; the rest go to "other", so memory stays bounded.
func TestRingBoundsKeysPerMinute(t *testing.T) {
	r := NewRing(newClock().Now)
	for i := range maxKeys * 3 {
		r.ObserveDecision(denySummary(i, fmt.Sprint("p", i)))
	}
	d := r.Denies()
	if len(d.ByPolicy) != maxKeys+1 {
		t.Fatalf("%d policy keys, want %d", len(d.ByPolicy), maxKeys+1)
	}
	if d.ByPolicy[0] != (Count{otherKey, maxKeys * 2}) {
		t.Errorf("top = %+v", d.ByPolicy[0])
	}
}

func TestRingConcurrent(t *testing.T) {
	r := NewRing(nil)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 500 {
				r.ObserveDecision(denySummary(g*1000+i, "x"))
				_ = r.Recent(true)
			}
		})
	}
	wg.Wait()
	if got := r.Denies().Total; got != 2000 {
		t.Errorf("total = %d, want 2000", got)
	}
}

// BenchmarkRingObserve is the cost admin.ui adds to each Check.
func BenchmarkRingObserve(b *testing.B) {
	r := NewRing(nil)
	s := denySummary(1, "no-delete")
	b.ReportAllocs()
	for b.Loop() {
		r.ObserveDecision(s)
	}
}

// TestRingClipsLongValues: a caller-chosen path or resource id is kept to
// maxValueBytes (valid UTF-8, marked with "…") and no longer shares the
// request's memory, so 200 huge requests cannot pin megabytes.
func TestRingClipsLongValues(t *testing.T) {
	r := NewRing(newClock().Now)
	long := strings.Repeat("é", maxValueBytes) // 2 bytes each
	s := denySummary(1, "p")
	s.Path, s.Resource, s.Reason, s.Method, s.Principal = "/"+long, `Order::"`+long+`"`, long, long, "spiffe://example.org/"+long
	r.ObserveDecision(s)
	e := r.Recent(false)[0]
	for name, v := range map[string]string{"path": e.Path, "resource": e.Resource, "reason": e.Reason, "method": e.Method, "principal": e.Principal} {
		if len(v) > maxValueBytes+len("…") || !strings.HasSuffix(v, "…") || !utf8.ValidString(v) {
			t.Errorf("%s: %d bytes, valid %v, suffix %q", name, len(v), utf8.ValidString(v), v[len(v)-4:])
		}
	}
	short := denySummary(2, "p")
	short.Path = "/orders/42"
	r.ObserveDecision(short)
	if got := r.Recent(false)[0].Path; got != "/orders/42" {
		t.Errorf("short path = %q", got)
	}
}
