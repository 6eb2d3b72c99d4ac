package policy

import (
	"slices"
	"sync"
	"sync/atomic"
)

// Members are the members of one record under the context that policies
// may read (Snapshot.ContextMembers). The zero value reads every member:
// it is the safe answer.
type Members struct {
	names map[string]bool // nil: every member
}

// All reports whether every member may be read.
func (m Members) All() bool { return m.names == nil }

// Reads reports whether the member name may be read.
func (m Members) Reads(name string) bool { return m.names == nil || m.names[name] }

// Names returns the members that may be read, sorted; nil when All.
func (m Members) Names() []string {
	if m.names == nil {
		return nil
	}
	out := make([]string, 0, len(m.names))
	for n := range m.names {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// contextReadSet is the Members answers asked of a snapshot so far,
// published whole (a Check reads them without a lock). The read paths
// themselves are not kept: at 100,000 policies they are megabytes.
type contextReadSet struct {
	mu    sync.Mutex // serialises computing and adding answers
	asked atomic.Pointer[[]askedMembers]
}

type askedMembers struct {
	path    []string
	members Members
}

// ContextMembers returns the members of the record at context.<path> that
// some policy of s may read: every policy, governed exceptions whether in
// force or expired, so the answer holds for as long as s does. A member is
// read by `context.<path>.m…` and `context.<path> has m` (with any
// spelling: .m or ["m"]). A policy that uses the record at path, or a
// record above it, any other way (compares it, puts it in a set or record,
// passes it to an operator or through if-then-else), or the context
// itself, reads every member. A request whose record at path leaves out
// members s does not read is decided by s exactly as with the whole
// record, as long as s decides it: evaluate it against s (Pinned), never
// against a Store that may have swapped in another snapshot since. The
// first call for a path walks every policy (about 40 ms at 100,000
// policies with conditions); later ones take no lock.
func (s *Snapshot) ContextMembers(path ...string) Members {
	if s == nil {
		return Members{}
	}
	rs := &s.reads
	if m, ok := rs.lookup(path); ok {
		return m
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if m, ok := rs.lookup(path); ok {
		return m
	}
	m := membersUnder(s.entries, path)
	var next []askedMembers
	if cur := rs.asked.Load(); cur != nil {
		next = append(next, *cur...)
	}
	next = append(next, askedMembers{path: slices.Clone(path), members: m})
	rs.asked.Store(&next)
	return m
}

func (rs *contextReadSet) lookup(path []string) (Members, bool) {
	if cur := rs.asked.Load(); cur != nil {
		for _, a := range *cur {
			if slices.Equal(a.path, path) {
				return a.members, true
			}
		}
	}
	return Members{}, false
}

// membersUnder is the Members of the record at path, given the policies.
func membersUnder(entries []*entry, path []string) Members {
	names := map[string]bool{}
	for _, e := range entries {
		for _, r := range e.contextReads() {
			n := min(len(r), len(path))
			if !slices.Equal(r[:n], path[:n]) {
				continue // reads elsewhere
			}
			if len(r) <= len(path) {
				return Members{} // the record, or one above it, read whole
			}
			names[r[len(path)]] = true
		}
	}
	return Members{names: names}
}
