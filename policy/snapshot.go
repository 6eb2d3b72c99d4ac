package policy

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/cedar-policy/cedar-go/x/exp/schema/resolved"
)

// Snapshot is an immutable, loaded policy source: policies by @id, entity
// data with ancestors precomputed, the optional schema, and a content-hash
// version. It is safe for concurrent use.
type Snapshot struct {
	hash     string
	label    string
	loadedAt time.Time
	entries  []*entry
	byID     map[string]*entry
	entities types.EntityMap
	schema   *resolved.Schema
	clock    func() time.Time
	refused  []error // files left out for a refused governed exception

	mu     sync.Mutex              // serialises rebuilds of active
	active atomic.Pointer[evalSet] // policies in force; shrinks as exceptions expire

	reads contextReadSet // what the policies read of the context (contextmembers.go)
}

// evalSet is the set of policies in force until next.
type evalSet struct {
	ix   *index
	next time.Time // earliest expiry of an active exception; zero when none
}

// Version is the human version label: the trimmed content of a VERSION file
// when the source has one, else Hash.
func (s *Snapshot) Version() string { return s.label }

// Hash is "sha256:" and 16 hex digits over the path and content of every
// loaded file; identical content always gives the identical hash.
func (s *Snapshot) Hash() string { return s.hash }

// LoadedAt is when the snapshot was loaded (per Options.Clock).
func (s *Snapshot) LoadedAt() time.Time { return s.loadedAt }

// Len is the number of policies.
func (s *Snapshot) Len() int { return len(s.entries) }

// Policy returns the policy with the given @id.
func (s *Snapshot) Policy(id string) (Meta, bool) {
	e, ok := s.byID[id]
	if !ok {
		return Meta{}, false
	}
	return e.describe(), true
}

// Policies returns every policy in load order (file path, then position).
func (s *Snapshot) Policies() []Meta {
	out := make([]Meta, len(s.entries))
	for i, e := range s.entries {
		out[i] = e.describe()
	}
	return out
}

// Entity returns an entity of IAM's data; its Parents hold all ancestors.
func (s *Snapshot) Entity(uid types.EntityUID) (types.Entity, bool) {
	e, ok := s.entities[uid]
	return e, ok
}

// Schema returns the resolved schema, or nil when the source has none. Use
// it to ask which actions exist (Actions), what principal and resource types
// they apply to and which context attributes they declare (AppliesTo).
// Callers must not modify it.
func (s *Snapshot) Schema() *resolved.Schema { return s.schema }

// describe returns a copy of the policy's Meta with its annotations, which
// are kept only once, in the parsed policy.
func (e *entry) describe() Meta {
	m := e.meta.clone()
	m.Annotations = annotationMap(e.ast().Annotations)
	return m
}

// ActiveExceptions returns the governed exceptions in force at now.
func (s *Snapshot) ActiveExceptions(now time.Time) []Exception {
	var out []Exception
	for _, e := range s.entries {
		if x := e.meta.Exception; x != nil && now.Before(x.Expires) {
			out = append(out, *x)
		}
	}
	return out
}

// NextExpiry returns when the next exception in force at now expires.
func (s *Snapshot) NextExpiry(now time.Time) (time.Time, bool) {
	next := nextExpiry(s.entries, now)
	return next, !next.IsZero()
}

func nextExpiry(entries []*entry, now time.Time) time.Time {
	var next time.Time
	for _, e := range entries {
		x := e.meta.Exception
		if x != nil && now.Before(x.Expires) && (next.IsZero() || x.Expires.Before(next)) {
			next = x.Expires
		}
	}
	return next
}

// current returns the policies in force now, dropping expired exceptions
// the first time it is asked after they expire. Without exceptions it does
// not even read the clock.
func (s *Snapshot) current() *evalSet {
	es := s.active.Load()
	if es.next.IsZero() || s.clock().Before(es.next) {
		return es
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	es = s.active.Load()
	if es.next.IsZero() || now.Before(es.next) {
		return es
	}
	es = s.buildEvalSet(now)
	s.active.Store(es)
	return es
}

func (s *Snapshot) buildEvalSet(now time.Time) *evalSet {
	ix := buildIndex(s.entries, s.entities, func(e *entry) bool { return e.activeAt(now) })
	return &evalSet{ix: ix, next: nextExpiry(s.entries, now)}
}
