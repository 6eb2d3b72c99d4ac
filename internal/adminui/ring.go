package adminui

import (
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tollgate-authz/tollgate/authz"
)

// RecentSize is how many decisions the live tail keeps.
const RecentSize = 200

// maxValueBytes bounds each caller-chosen string the tail keeps (path,
// resource, principal, reason, method, enforcement point, and the action,
// which an MCP per_tool route names after the called tool), so the ring's
// memory stays small whatever the requests carried.
const maxValueBytes = 512

// Entry is one decision in the live tail.
type Entry struct {
	Time time.Time
	authz.DecisionSummary
}

// Ring keeps the most recent decisions and per-minute counts in fixed
// memory: RecentSize entries and Minutes buckets with at most maxKeys
// keys each. It is an authz.DecisionTail and safe for concurrent use.
type Ring struct {
	clock func() time.Time

	mu      sync.Mutex
	recent  [RecentSize]Entry
	next    int // slot of the next entry
	held    int // entries held, up to RecentSize
	minutes [Minutes]minute
}

var _ authz.DecisionTail = (*Ring)(nil)

// NewRing returns an empty ring; clock nil means time.Now.
func NewRing(clock func() time.Time) *Ring {
	if clock == nil {
		clock = time.Now
	}
	return &Ring{clock: clock}
}

// ObserveDecision records s: one slot write and a few counter increments
// under a short lock.
func (r *Ring) ObserveDecision(s authz.DecisionSummary) {
	now := r.clock()
	for _, p := range []*string{&s.Path, &s.Resource, &s.Principal, &s.Reason, &s.Method, &s.EnforcementPoint, &s.Action} {
		*p = clip(*p)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recent[r.next] = Entry{Time: now, DecisionSummary: s}
	r.next = (r.next + 1) % RecentSize
	if r.held < RecentSize {
		r.held++
	}
	r.bucket(now).add(&s)
}

// Recent returns the decisions held, newest first; deniesOnly keeps the
// denials.
func (r *Ring) Recent(deniesOnly bool) []Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Entry, 0, r.held)
	for i := 1; i <= r.held; i++ {
		e := r.recent[(r.next-i+RecentSize)%RecentSize]
		if deniesOnly && e.Allowed {
			continue
		}
		out = append(out, e)
	}
	return out
}

// clip returns v, or a copy of its first maxValueBytes (cut at a rune
// boundary) marked with "…": the concatenation copies, so the ring does
// not pin a large request string.
func clip(v string) string {
	if len(v) <= maxValueBytes {
		return v
	}
	n := maxValueBytes
	for n > 0 && !utf8.RuneStart(v[n]) {
		n--
	}
	return v[:n] + "…"
}
