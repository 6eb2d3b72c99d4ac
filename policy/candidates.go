package policy

import (
	"iter"
	"slices"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// candidates is the per-request cedar.PolicyIterator over the policies a
// request can match, in load order. It comes from the index's pool, so a
// Check builds no map and, once warm, allocates no slice.
type candidates struct {
	entries []*entry
	list    []int32 // the candidates: buf, or the index's full scan
	buf     []int32
	rest    []int32           // what All yields: the candidates cedar-go decides
	matched []int32           // the scope-only candidates that hold
	failed  []nativeError     // the scope-only candidates that errored
	anc     []types.EntityUID // scratch for the rare ancestor walk
	seq     iter.Seq2[cedar.PolicyID, *cedar.Policy]
}

var _ cedar.PolicyIterator = (*candidates)(nil)

func newCandidates(entries []*entry) *candidates {
	c := &candidates{entries: entries}
	c.seq = func(yield func(cedar.PolicyID, *cedar.Policy) bool) {
		for _, i := range c.rest {
			e := c.entries[i]
			if !yield(e.id, e.compiled) {
				return
			}
		}
	}
	return c
}

// All implements cedar.PolicyIterator.
func (c *candidates) All() iter.Seq2[cedar.PolicyID, *cedar.Policy] { return c.seq }

// split decides the scope-only candidates and leaves the others, in load
// order, to cedar-go.
func (c *candidates) split(req *cedar.Request, ents types.EntityGetter) {
	c.rest, c.matched, c.failed = c.rest[:0], c.matched[:0], c.failed[:0]
	for _, i := range c.list {
		e := c.entries[i]
		if e.scope == nil {
			c.rest = append(c.rest, i)
			continue
		}
		switch ok, kind := e.scope.decide(req, ents); {
		case kind != "":
			c.failed = append(c.failed, nativeError{pos: i, kind: kind})
		case ok:
			c.matched = append(c.matched, i)
		}
	}
}

// merge folds the scope-only policies that matched into cedar-go's answer
// over the rest, giving what one cedar.Authorize over every candidate
// gives: the forbids that hold deny, else the permits that hold allow,
// else nothing does; the determining @ids in load order.
func (c *candidates) merge(ok cedar.Decision, reasons []cedar.DiagnosticReason) (cedar.Decision, []string) {
	var forbids, permits []int32
	for _, i := range c.matched {
		if c.entries[i].scope.effect == xast.EffectForbid {
			forbids = append(forbids, i)
		} else {
			permits = append(permits, i)
		}
	}
	switch {
	case len(forbids) > 0 || (ok == cedar.Deny && len(reasons) > 0):
		if ok != cedar.Deny {
			reasons = nil // cedar-go's permits: a forbid holds
		}
		return cedar.Deny, c.inOrder(forbids, reasons)
	case len(permits) > 0 || ok == cedar.Allow:
		return cedar.Allow, c.inOrder(permits, reasons)
	}
	return cedar.Deny, nil
}

// inOrder merges scope-only positions and cedar-go's reasons (a
// subsequence of rest) into @ids in load order.
func (c *candidates) inOrder(native []int32, reasons []cedar.DiagnosticReason) []string {
	if len(native)+len(reasons) == 0 {
		return nil
	}
	out := make([]string, 0, len(native)+len(reasons))
	j := 0
	for _, i := range c.rest {
		if j == len(reasons) {
			break
		}
		if c.entries[i].id != reasons[j].PolicyID {
			continue
		}
		for len(native) > 0 && native[0] < i {
			out, native = append(out, string(c.entries[native[0]].id)), native[1:]
		}
		out, j = append(out, string(reasons[j].PolicyID)), j+1
	}
	for _, i := range native {
		out = append(out, string(c.entries[i].id))
	}
	return out
}

// maxPooledCandidates bounds the buffer a pooled candidates keeps.
const maxPooledCandidates = 1 << 14

// lookup returns the candidate policies for req. ents is the entity view the
// evaluation uses (the data, or the overlay of extra on it). When a
// per-request entity could change the action's ancestry, it falls back to
// the full scan. Give the result back with release.
func (ix *index) lookup(req cedar.Request, data types.EntityMap, ents types.EntityGetter, extra []types.Entity) *candidates {
	c := ix.pool.Get().(*candidates)
	if changesAncestry(req.Action, data, extra) {
		c.list = ix.allPos
		return c
	}
	principal, found := ents.Get(req.Principal)
	c.buf = append(c.buf, ix.principalEq[req.Principal]...)
	if len(ix.principalIn) > 0 {
		for g := range groups(req.Principal, principal, ents, extra, c) {
			c.buf = append(c.buf, ix.principalIn[g]...)
		}
	}
	c.buf = append(c.buf, ix.resourceEq[req.Resource]...)
	if len(ix.resourceIn)+len(ix.resourceInAttr.groups) > 0 {
		resource, _ := ents.Get(req.Resource)
		for g := range groups(req.Resource, resource, ents, extra, c) {
			c.buf = append(c.buf, ix.resourceIn[g]...)
			c.buf = ix.resourceInAttr.appendFor(c.buf, g, principal, found)
		}
	}
	c.buf = ix.principalAttr.appendFor(c.buf, types.EntityUID{}, principal, found)
	c.buf = append(c.buf, ix.byAction[req.Action]...)
	c.buf = append(c.buf, ix.residue...)
	slices.Sort(c.buf)
	c.buf = slices.Compact(c.buf)
	c.list = c.buf
	return c
}

func (ix *index) release(c *candidates) {
	c.list = nil
	if max(cap(c.buf), cap(c.rest), cap(c.matched), cap(c.failed)) > maxPooledCandidates {
		return
	}
	c.buf, c.anc, c.rest, c.matched, c.failed = c.buf[:0], c.anc[:0], c.rest[:0], c.matched[:0], c.failed[:0]
	ix.pool.Put(c)
}

// scan returns every policy in force as the candidates (the full scan).
func (ix *index) scan() *candidates {
	c := ix.pool.Get().(*candidates)
	c.list = ix.allPos
	return c
}

// changesAncestry reports whether an extra entity is the action or one of
// its ancestors in the data.
func changesAncestry(action types.EntityUID, data types.EntityMap, extra []types.Entity) bool {
	if len(extra) == 0 {
		return false
	}
	anc := data[action].Parents
	for i := range extra {
		if extra[i].UID == action || anc.Contains(extra[i].UID) {
			return true
		}
	}
	return false
}

// groups yields uid and every entity Cedar's `in` finds it in: its
// ancestors (e is uid's entity in ents), closed through the data, or walked
// as Cedar walks them when a per-request entity is among them.
func groups(uid types.EntityUID, e types.Entity, ents types.EntityGetter, extra []types.Entity, c *candidates) iter.Seq[types.EntityUID] {
	return func(yield func(types.EntityUID) bool) {
		if !yield(uid) {
			return
		}
		if ancestorIsExtra(uid, e.Parents, extra) {
			c.anc = walkAncestors(c.anc[:0], uid, ents)
			for _, a := range c.anc {
				if !yield(a) {
					return
				}
			}
			return
		}
		for a := range e.Parents.All() {
			if !yield(a) {
				return
			}
		}
	}
}

// ancestorIsExtra reports whether a per-request entity other than uid is
// among parents. Parents are closed through the data, so otherwise they are
// exactly the ancestors Cedar's `in` can reach.
func ancestorIsExtra(uid types.EntityUID, parents types.EntityUIDSet, extra []types.Entity) bool {
	for i := range extra {
		if extra[i].UID != uid && parents.Contains(extra[i].UID) {
			return true
		}
	}
	return false
}

// walkAncestors appends every entity reachable from uid through parents in
// ents, the way Cedar's `in` walks them.
func walkAncestors(out []types.EntityUID, uid types.EntityUID, ents types.EntityGetter) []types.EntityUID {
	start := len(out)
	todo := []types.EntityUID{uid}
	for len(todo) > 0 {
		cur := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		e, ok := ents.Get(cur)
		if !ok {
			continue
		}
		for p := range e.Parents.All() {
			if p != uid && !slices.Contains(out[start:], p) {
				out = append(out, p)
				todo = append(todo, p)
			}
		}
	}
	return out
}
