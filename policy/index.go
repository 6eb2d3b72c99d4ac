package policy

import (
	"iter"
	"slices"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// index narrows evaluation to the policies whose action scope can match a
// request's action, keeping load order.
type index struct {
	// byAction holds, per action UID, the policies constraining the action
	// to it (directly or through an action group), merged with unscoped.
	byAction map[types.EntityUID]*policyIter
	unscoped *policyIter // policies with an unconstrained action scope
	all      *policyIter // every included policy: the full scan
}

// buildIndex indexes the entries for which include is true. Action groups
// come from the (ancestor-closed) entity data.
func buildIndex(entries []*entry, data types.EntityMap, include func(*entry) bool) *index {
	ix := &index{byAction: map[types.EntityUID]*policyIter{}}
	desc := descendants(data)
	specific := map[types.EntityUID][]int32{}
	var all, unscoped []int32
	for i, e := range entries {
		if !include(e) {
			continue
		}
		pos := int32(i)
		all = append(all, pos)
		keys, scoped := actionKeys(e.policy.AST().Action, desc)
		if !scoped {
			unscoped = append(unscoped, pos)
			continue
		}
		for _, k := range keys {
			if l := specific[k]; len(l) == 0 || l[len(l)-1] != pos {
				specific[k] = append(l, pos)
			}
		}
	}
	for k, l := range specific {
		ix.byAction[k] = newPolicyIter(entries, mergeSorted(l, unscoped))
	}
	ix.all, ix.unscoped = newPolicyIter(entries, all), newPolicyIter(entries, unscoped)
	return ix
}

// actionKeys returns the action UIDs a policy's action scope can match, or
// scoped=false when the scope does not constrain the action.
func actionKeys(scope any, desc map[types.EntityUID][]types.EntityUID) (keys []types.EntityUID, scoped bool) {
	switch s := scope.(type) {
	case xast.ScopeTypeEq:
		return []types.EntityUID{s.Entity}, true
	case xast.ScopeTypeIn:
		return append([]types.EntityUID{s.Entity}, desc[s.Entity]...), true
	case xast.ScopeTypeInSet:
		for _, g := range s.Entities {
			keys = append(keys, g)
			keys = append(keys, desc[g]...)
		}
		return keys, true
	}
	return nil, false
}

// descendants maps each entity to the entities that have it as an ancestor.
func descendants(data types.EntityMap) map[types.EntityUID][]types.EntityUID {
	desc := map[types.EntityUID][]types.EntityUID{}
	for uid, e := range data {
		for p := range e.Parents.All() {
			desc[p] = append(desc[p], uid)
		}
	}
	return desc
}

func mergeSorted(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	out = append(out, a...)
	out = append(out, b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// lookup returns the policies to evaluate for a request. When a per-request
// entity could change the request action's ancestry, it falls back to the
// full scan so that decisions never differ from evaluating everything.
func (ix *index) lookup(action types.EntityUID, data types.EntityMap, extra []types.Entity) *policyIter {
	if len(extra) > 0 {
		anc := data[action].Parents
		for i := range extra {
			if extra[i].UID == action || anc.Contains(extra[i].UID) {
				return ix.all
			}
		}
	}
	if it, ok := ix.byAction[action]; ok {
		return it
	}
	return ix.unscoped
}

// policyIter is a cedar.PolicyIterator over selected entries. The sequence
// is built once, so that iterating allocates nothing.
type policyIter struct {
	seq iter.Seq2[cedar.PolicyID, *cedar.Policy]
}

var _ cedar.PolicyIterator = (*policyIter)(nil)

func newPolicyIter(entries []*entry, pos []int32) *policyIter {
	return &policyIter{seq: func(yield func(cedar.PolicyID, *cedar.Policy) bool) {
		for _, i := range pos {
			e := entries[i]
			if !yield(e.id, e.policy) {
				return
			}
		}
	}}
}

// All implements cedar.PolicyIterator.
func (p *policyIter) All() iter.Seq2[cedar.PolicyID, *cedar.Policy] { return p.seq }
