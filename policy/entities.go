package policy

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"slices"

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
