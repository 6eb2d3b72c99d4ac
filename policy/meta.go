package policy

import (
	"maps"
	"time"

	"github.com/cedar-policy/cedar-go"
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

// entry is one policy as the evaluator sees it.
type entry struct {
	id     cedar.PolicyID
	policy *cedar.Policy
	meta   *Meta
}

// forbid reports whether the policy is a forbid; an unknown policy counts
// as one, to fail closed.
func (e *entry) forbid() bool { return e == nil || e.meta.Effect == EffectForbid }

// activeAt reports whether the policy takes part in evaluation at now.
func (e *entry) activeAt(now time.Time) bool {
	return e.meta.Exception == nil || now.Before(e.meta.Exception.Expires)
}
