package policy

import (
	"maps"
	"time"

	"github.com/cedar-policy/cedar-go"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// Effect is a policy's effect.
type Effect string

const (
	EffectPermit Effect = "permit"
	EffectForbid Effect = "forbid"
)

// Meta describes one loaded policy.
type Meta struct {
	ID          string // the @id annotation, unique in a Snapshot
	File        string // path relative to the policy source root
	Line        int
	Column      int
	Effect      Effect
	Annotations map[string]string // every annotation, @id included
	Exception   *Exception        // non-nil for a governed exception
}

// clone returns a deep copy, so callers cannot change a Snapshot.
func (m *Meta) clone() Meta {
	c := *m
	c.Annotations = maps.Clone(m.Annotations)
	if m.Exception != nil {
		x := *m.Exception
		c.Exception = &x
	}
	return c
}

// Exception is a governed exception: a policy annotated with
// @exception("TICKET"), @approved_by("name") and @expires("RFC3339"). It
// takes part in evaluation only until Expires.
type Exception struct {
	PolicyID   string
	Ticket     string
	ApprovedBy string
	Expires    time.Time
}

// entry is one policy as the evaluator sees it: cedar-go's compiled
// policy, or for a policy without conditions, or with a `when` clause of
// simple atoms (conjunction), its scope and those atoms alone.
type entry struct {
	id       cedar.PolicyID
	compiled *cedar.Policy // nil when scope is set
	scope    *scopeOnly
	meta     *Meta
}

// newEntry keeps p as a scopeOnly when compactScope accepts it.
func newEntry(p *cedar.Policy, meta *Meta, in *interner) *entry {
	e := &entry{id: cedar.PolicyID(meta.ID), meta: meta}
	if s, ok := compactScope((*xast.Policy)(p.AST()), in); ok {
		e.scope = s
	} else {
		e.compiled = p
	}
	return e
}

// ast is the parsed policy, for the checks and the offline tools.
// Callers must not modify it.
func (e *entry) ast() *xast.Policy {
	if e.scope != nil {
		return e.scope.policy(e.meta)
	}
	return (*xast.Policy)(e.compiled.AST())
}

// forbid reports whether the policy is a forbid; an unknown policy counts
// as one, to fail closed.
func (e *entry) forbid() bool { return e == nil || e.meta.Effect == EffectForbid }

// activeAt reports whether the policy takes part in evaluation at now.
func (e *entry) activeAt(now time.Time) bool {
	return e.meta.Exception == nil || now.Before(e.meta.Exception.Expires)
}
