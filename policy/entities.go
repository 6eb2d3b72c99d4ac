package policy

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/cedar-policy/cedar-go/types"
)

// entityData is IAM's entity data, with each entity's source line.
type entityData struct {
	entities types.EntityMap
	lines    map[types.EntityUID]int
	// sets holds one immutable parent set per distinct content (see
	// sharedSet), shared by every entity with those parents.
	sets map[string]types.EntityUIDSet
	key  []byte // scratch for sharedSet
}

// share returns the shared set with the content of set.
func (d *entityData) share(set types.EntityUIDSet) types.EntityUIDSet {
	var shared types.EntityUIDSet
	shared, d.key = sharedSet(d.sets, slices.Collect(set.All()), d.key)
	return shared
}

// parseEntities reads a Cedar JSON entity array, remembering the line each
// entity starts on so that later errors can point at it.
func parseEntities(f *sourceFile) (*entityData, error) {
	out := &entityData{entities: types.EntityMap{}, lines: map[types.EntityUID]int{}, sets: map[string]types.EntityUIDSet{}}
	if f == nil {
		return out, nil
	}
	fail := func(line int, format string, args ...any) error {
		return &LoadError{File: f.path, Line: line, Err: detail(ErrEntities, format, args...)}
	}
	dec := json.NewDecoder(bytes.NewReader(f.data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, fail(1, "expected a JSON array of entities")
	}
	var errs []error
	lines := &lineCounter{data: f.data, line: 1}
	for dec.More() {
		line := lines.at(int(dec.InputOffset()))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, errors.Join(append(errs, fail(line, "%v", err))...)
		}
		var e types.Entity
		if err := e.UnmarshalJSON(raw); err != nil {
			errs = append(errs, fail(line, "%v", err))
			continue
		}
		if name, ok := unknownMember(raw); ok {
			errs = append(errs, fail(line, "entity %s: member %q is not one of uid, parents, attrs, tags", e.UID, name))
			continue
		}
		if prev, dup := out.lines[e.UID]; dup {
			errs = append(errs, fail(line, "duplicate entity %s (first at line %d)", e.UID, prev))
			continue
		}
		// Entities with the same parents share one set from the start: the
		// set decoded for each entity is a map of its own, and 100,000 of
		// them were a third of the load's peak heap.
		e.Parents = out.share(e.Parents)
		out.entities[e.UID], out.lines[e.UID] = e, line
	}
	f.data = nil // decoded: keep no second copy of the file while the rest loads
	if _, err := dec.Token(); err != nil {
		errs = append(errs, fail(lines.at(int(dec.InputOffset())), "%v", err))
	} else if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		errs = append(errs, fail(lines.at(int(dec.InputOffset())), "data after the entity array"))
	}
	return out, errors.Join(errs...)
}

// unknownMember returns a member of an entity object that Cedar would
// ignore ("Parents", "parent", ...): a reader takes it for a real one.
func unknownMember(raw json.RawMessage) (string, bool) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return "", false // not an object: UnmarshalJSON has refused it
	}
	for name := range members {
		switch name {
		case "uid", "parents", "attrs", "tags":
		default:
			return name, true
		}
	}
	return "", false
}

// lineCounter answers lineAt for increasing offsets in one pass over the
// data, not one pass per entity (which is quadratic in the file size).
type lineCounter struct {
	data []byte
	off  int // bytes counted so far
	line int // line at off
}

// at returns the 1-based line of the first value at or after offset,
// skipping the whitespace and comma before it.
func (c *lineCounter) at(offset int) int {
	for offset < len(c.data) && bytes.IndexByte([]byte(" \t\r\n,"), c.data[offset]) >= 0 {
		offset++
	}
	offset = min(offset, len(c.data))
	if offset < c.off {
		c.off, c.line = 0, 1
	}
	c.line += bytes.Count(c.data[c.off:offset], []byte("\n"))
	c.off = offset
	return c.line
}

// closeAncestors replaces every entity's Parents with all of its ancestors,
// so that `in` is answered by one lookup. A cycle is an error naming it.
func closeAncestors(file string, d *entityData) error {
	c := newCloser(d.entities, maxAncestorLinks)
	var errs []error
	for _, uid := range d.sortedUIDs() {
		if err := c.visit(uid, nil); err != nil {
			errs = append(errs, &LoadError{File: file, Line: d.lines[uid], Entity: uid.String(), Err: err})
			break // one cycle report is enough; the data is rejected anyway
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if d.sets == nil {
		d.sets = map[string]types.EntityUIDSet{}
	}
	for uid, e := range d.entities {
		e.Parents, d.key = sharedSet(d.sets, c.anc[uid], d.key)
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

type closer struct {
	data  types.EntityMap
	state map[types.EntityUID]int // 1 = visiting, 2 = done
	anc   map[types.EntityUID][]types.EntityUID
	links int // ancestor links so far
	max   int // budget of links
}

func newCloser(data types.EntityMap, maxLinks int) *closer {
	return &closer{data: data, state: map[types.EntityUID]int{}, anc: map[types.EntityUID][]types.EntityUID{}, max: maxLinks}
}

func (c *closer) visit(uid types.EntityUID, path []types.EntityUID) error {
	switch c.state[uid] {
	case 2:
		return nil
	case 1:
		return fmt.Errorf("%w: %s", ErrEntityCycle, cyclePath(path, uid))
	}
	e, ok := c.data[uid]
	if !ok {
		return nil
	}
	if len(path) >= maxHierarchyDepth {
		return detail(ErrEntities, "entity hierarchy is deeper than %d levels (from %s)", maxHierarchyDepth, path[0])
	}
	c.state[uid] = 1
	seen := map[types.EntityUID]bool{}
	for p := range e.Parents.All() {
		if err := c.visit(p, append(path, uid)); err != nil {
			return err
		}
		seen[p] = true
		for _, a := range c.anc[p] {
			seen[a] = true
		}
	}
	list := make([]types.EntityUID, 0, len(seen))
	for a := range seen {
		list = append(list, a)
	}
	if c.links += len(list); c.links > c.max {
		return detail(ErrEntities, "entity hierarchy has more than %d ancestor links in all", c.max)
	}
	c.anc[uid], c.state[uid] = list, 2
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

// sortedUIDs returns the entity UIDs in file order (schema actions last).
// Lines are looked up once per entity, not once per comparison.
func (d *entityData) sortedUIDs() []types.EntityUID {
	type at struct {
		line int
		uid  types.EntityUID
	}
	list := make([]at, 0, len(d.entities))
	for uid := range d.entities {
		list = append(list, at{d.lines[uid], uid})
	}
	slices.SortFunc(list, func(a, b at) int {
		if c := cmp.Compare(a.line, b.line); c != 0 {
			return c
		}
		return cmp.Compare(a.uid.String(), b.uid.String())
	})
	uids := make([]types.EntityUID, len(list))
	for i, a := range list {
		uids[i] = a.uid
	}
	return uids
}
