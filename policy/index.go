package policy

import (
	"sync"

	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// index narrows evaluation to the policies whose scope can match a request.
// Each included policy sits in exactly one bucket, chosen by its most
// selective scope constraint, in this order: principal ==, resource ==,
// principal in, resource in (by the group, then, when its condition
// requires one, by a principal string attribute: principalAttrCond), a
// principal string attribute its condition requires, action; a policy
// constraining none of these is in the residue, evaluated for every
// request.
// A request's candidates are the union of the buckets it can hit, in load
// order, so the answer is the same as a scan over every policy.
type index struct {
	entries []*entry
	// principalEq and resourceEq hold policies by the UID their scope
	// requires; principalIn and resourceIn by the group their scope names
	// (`in G` and `is T in G`).
	principalEq, principalIn map[types.EntityUID][]int32
	resourceEq, resourceIn   map[types.EntityUID][]int32
	// resourceInAttr holds the `resource in` policies whose condition
	// requires a principal string attribute, by group, attribute, value.
	resourceInAttr attrIndex
	// byAction holds, per action UID, the policies whose action scope (and
	// no more selective scope) matches it, directly or through a group.
	byAction map[types.EntityUID][]int32
	// principalAttr holds policies by attribute name, then required value
	// (all under the zero group UID).
	principalAttr attrIndex
	residue       []int32
	allPos        []int32   // every included policy: the full scan
	pool          sync.Pool // of *candidates
}

// buildIndex indexes the entries for which include is true. Action groups
// come from the (ancestor-closed) entity data.
func buildIndex(entries []*entry, data types.EntityMap, include func(*entry) bool) *index {
	ix := &index{entries: entries,
		principalEq: map[types.EntityUID][]int32{}, principalIn: map[types.EntityUID][]int32{},
		resourceEq: map[types.EntityUID][]int32{}, resourceIn: map[types.EntityUID][]int32{},
		byAction: map[types.EntityUID][]int32{}}
	ix.pool.New = func() any { return newCandidates(entries) }
	var b indexBuild
	for i, e := range entries {
		if !include(e) {
			continue
		}
		pos := int32(i)
		ix.allPos = append(ix.allPos, pos)
		if b.desc == nil {
			b.desc = descendants(data)
		}
		ix.place(pos, e.ast(), &b)
	}
	ix.resourceInAttr, ix.principalAttr = newAttrIndex(b.resourceInAttr), newAttrIndex(b.principalAttr)
	return ix
}

// indexBuild is what buildIndex gathers before the index is complete.
type indexBuild struct {
	desc                          map[types.EntityUID][]types.EntityUID // of action groups
	resourceInAttr, principalAttr []attrRow
}

// place puts one policy in its bucket.
func (ix *index) place(pos int32, p *xast.Policy, b *indexBuild) {
	if u, ok := eqScope(p.Principal); ok {
		ix.principalEq[u] = append(ix.principalEq[u], pos)
	} else if u, ok := eqScope(p.Resource); ok {
		ix.resourceEq[u] = append(ix.resourceEq[u], pos)
	} else if u, ok := inScope(p.Principal); ok {
		ix.principalIn[u] = append(ix.principalIn[u], pos)
	} else if u, ok := inScope(p.Resource); ok {
		ix.placeResourceIn(u, pos, p, b)
	} else if attr, lit, ifMissing, ok := principalAttrCond(p); ok {
		b.principalAttr = append(b.principalAttr, attrRow{attr: attr, lit: lit, pos: pos, ifMissing: ifMissing})
	} else if keys, ok := actionKeys(p.Action, b.desc); ok {
		for _, k := range keys {
			if l := ix.byAction[k]; len(l) == 0 || l[len(l)-1] != pos {
				ix.byAction[k] = append(l, pos)
			}
		}
	} else {
		ix.residue = append(ix.residue, pos)
	}
}

// placeResourceIn puts a `resource in u` policy in u's bucket, keyed by
// the principal attribute its condition requires, if any.
func (ix *index) placeResourceIn(u types.EntityUID, pos int32, p *xast.Policy, b *indexBuild) {
	attr, lit, ifMissing, ok := principalAttrCond(p)
	if !ok {
		ix.resourceIn[u] = append(ix.resourceIn[u], pos)
		return
	}
	b.resourceInAttr = append(b.resourceInAttr, attrRow{group: u, attr: attr, lit: lit, pos: pos, ifMissing: ifMissing})
}

func eqScope(scope any) (types.EntityUID, bool) {
	if s, ok := scope.(xast.ScopeTypeEq); ok {
		return s.Entity, true
	}
	return types.EntityUID{}, false
}

func inScope(scope any) (types.EntityUID, bool) {
	switch s := scope.(type) {
	case xast.ScopeTypeIn:
		return s.Entity, true
	case xast.ScopeTypeIsIn:
		return s.Entity, true
	}
	return types.EntityUID{}, false
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
