package policy

import (
	"sync/atomic"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

// Store holds the Snapshot in force and swaps it atomically: an evaluation
// sees the old snapshot or the new one, never a mix. The zero value is
// ready to use and holds no snapshot.
type Store struct {
	cur     atomic.Pointer[Snapshot]
	stale   atomic.Pointer[func() bool]
	metrics *Metrics
}

// NewStore returns an empty Store that records metrics in m (nil: none).
func NewStore(m *Metrics) *Store { return &Store{metrics: m} }

// Current returns the snapshot in force, or nil.
func (s *Store) Current() *Snapshot { return s.cur.Load() }

// Entity looks uid up in the entity data of the snapshot in force; false
// when there is no snapshot.
func (s *Store) Entity(uid types.EntityUID) (types.Entity, bool) {
	if snap := s.Current(); snap != nil {
		return snap.Entity(uid)
	}
	return types.Entity{}, false
}

// Swap puts next in force and returns the previous snapshot.
func (s *Store) Swap(next *Snapshot) *Snapshot {
	old := s.cur.Swap(next)
	s.metrics.snapshot(next)
	return old
}

// DenyWhenStale makes Evaluate deny every request with ReasonStale while
// stale reports true: the policy source's snapshot is past its freshness
// bound (Source.Stale) and the operator chose to deny then
// (policy.bundle.on_stale: deny). Call it before the Store serves.
func (s *Store) DenyWhenStale(stale func() bool) { s.stale.Store(&stale) }

// Evaluate evaluates against the snapshot in force; with none it denies with
// ReasonNoSnapshot, and while DenyWhenStale's check reports a stale source
// with ReasonStale. See Snapshot.Evaluate. Decisions a governed exception
// determined are counted (tollgate_exception_decisions_total).
func (s *Store) Evaluate(req cedar.Request, extra ...types.Entity) Decision {
	return s.Pin().Evaluate(req, extra...)
}

// Pin returns the snapshot in force now, to be evaluated as the Store
// evaluates: a caller that shapes a request by what the snapshot's
// policies read (ContextMembers) has it decided by those same policies,
// even if another snapshot is swapped in meanwhile.
func (s *Store) Pin() Pinned { return Pinned{store: s, snap: s.cur.Load()} }

// Pin returns s as a Pinned, evaluated as Snapshot.Evaluate.
func (s *Snapshot) Pin() Pinned { return Pinned{snap: s} }

// Pinned is one snapshot, held for the requests of one Check (Store.Pin).
type Pinned struct {
	store *Store // nil: a bare Snapshot, no staleness or metrics
	snap  *Snapshot
}

// Evaluate is Store.Evaluate (or Snapshot.Evaluate) against the pinned
// snapshot; staleness is checked now.
func (p Pinned) Evaluate(req cedar.Request, extra ...types.Entity) Decision {
	if p.store == nil {
		return p.snap.Evaluate(req, extra...)
	}
	if f := p.store.stale.Load(); f != nil && (*f)() {
		return Decision{Reason: ReasonStale, Version: p.Version()}
	}
	d := p.snap.Evaluate(req, extra...)
	p.store.metrics.decision(&d)
	return d
}

// Version is the pinned snapshot's version, or "" with none.
func (p Pinned) Version() string {
	if p.snap == nil {
		return ""
	}
	return p.snap.Version()
}

// ContextMembers is the pinned snapshot's ContextMembers; with no
// snapshot, every member.
func (p Pinned) ContextMembers(path ...string) Members { return p.snap.ContextMembers(path...) }

// Version returns the version of the snapshot in force, or "" with none.
func (s *Store) Version() string {
	if cur := s.cur.Load(); cur != nil {
		return cur.Version()
	}
	return ""
}
