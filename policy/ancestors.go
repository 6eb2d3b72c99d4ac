package policy

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/cedar-policy/cedar-go/types"
)

// closeAncestors replaces every entity's Parents with all of its ancestors,
// so that `in` is answered by one lookup. A cycle is an error naming it.
func closeAncestors(file string, d *entityData) error {
	if d.sets == nil {
		d.sets = map[string]types.EntityUIDSet{}
	}
	c := newCloser(d.entities, maxAncestorLinks)
	c.sets = d.sets
	for _, uid := range d.sortedUIDs() {
		if err := c.visit(uid, nil); err != nil {
			// One cycle report is enough; the data is rejected anyway.
			return errors.Join(&LoadError{File: file, Line: d.lines[uid], Entity: uid.String(), Err: err})
		}
	}
	for uid, e := range d.entities {
		e.Parents = c.anc[uid]
		d.entities[uid] = e
	}
	d.sets = nil // the sets in use stay with their entities
	return nil
}

// sharedSet returns the (immutable) set of anc, one set for every entity
// with the same ancestors: in IAM's data, most entities share their
// ancestry with their siblings. key is scratch space, returned for reuse.
func sharedSet(shared map[string]types.EntityUIDSet, anc []types.EntityUID, key []byte) (types.EntityUIDSet, []byte) {
	slices.SortFunc(anc, func(a, b types.EntityUID) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.ID, b.ID))
	})
	key = key[:0]
	for _, a := range anc { // length-prefixed, so that no two lists share a key
		key = strconv.AppendInt(key, int64(len(a.Type)), 10)
		key = append(append(key, ':'), a.Type...)
		key = strconv.AppendInt(key, int64(len(a.ID)), 10)
		key = append(append(key, ':'), a.ID...)
	}
	if set, ok := shared[string(key)]; ok {
		return set, key
	}
	set := types.NewEntityUIDSet(anc...)
	shared[string(key)] = set
	return set, key
}

// Bounds on the closure, which is quadratic in a hierarchy's depth: real
// hierarchies are a few levels deep and have a few ancestors per entity.
const (
	maxHierarchyDepth = 256
	maxAncestorLinks  = 16 << 20 // summed over every entity
)

// closer closes the ancestry of every entity depth first. Each entity's
// closed set is a shared set from the start, so that the closure holds one
// set per distinct ancestry, not one list per entity (at 230,000 entities
// the lists were a third of the load's peak heap).
type closer struct {
	data     types.EntityMap
	sets     map[string]types.EntityUIDSet          // shared sets by content (sharedSet)
	anc      map[types.EntityUID]types.EntityUIDSet // closed ancestors; present once done
	visiting map[types.EntityUID]bool               // on the current path
	scratch  []types.EntityUID
	key      []byte
	links    int // ancestor links so far
	max      int // budget of links
}

func newCloser(data types.EntityMap, maxLinks int) *closer {
	return &closer{data: data, sets: map[string]types.EntityUIDSet{}, anc: map[types.EntityUID]types.EntityUIDSet{},
		visiting: map[types.EntityUID]bool{}, max: maxLinks}
}

func (c *closer) visit(uid types.EntityUID, path []types.EntityUID) error {
	if _, done := c.anc[uid]; done {
		return nil
	}
	if c.visiting[uid] {
		return fmt.Errorf("%w: %s", ErrEntityCycle, cyclePath(path, uid))
	}
	e, ok := c.data[uid]
	if !ok {
		return nil
	}
	if len(path) >= maxHierarchyDepth {
		return detail(ErrEntities, "entity hierarchy is deeper than %d levels (from %s)", maxHierarchyDepth, path[0])
	}
	c.visiting[uid] = true
	seen := map[types.EntityUID]bool{}
	for p := range e.Parents.All() {
		if err := c.visit(p, append(path, uid)); err != nil {
			return err
		}
		seen[p] = true
		for a := range c.anc[p].All() {
			seen[a] = true
		}
	}
	if c.links += len(seen); c.links > c.max {
		return detail(ErrEntities, "entity hierarchy has more than %d ancestor links in all", c.max)
	}
	list := c.scratch[:0]
	for a := range seen {
		list = append(list, a)
	}
	c.anc[uid], c.key = sharedSet(c.sets, list, c.key)
	c.scratch = list
	delete(c.visiting, uid)
	return nil
}

func cyclePath(path []types.EntityUID, back types.EntityUID) string {
	var b bytes.Buffer
	start := 0
	for i, u := range path {
		if u == back {
			start = i
		}
	}
	for _, u := range path[start:] {
		b.WriteString(u.String() + " -> ")
	}
	b.WriteString(back.String())
	return b.String()
}
