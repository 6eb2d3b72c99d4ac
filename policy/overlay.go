package policy

import (
	"github.com/cedar-policy/cedar-go/types"
)

// overlay lays a request's own entities (principal, resource, ...) over the
// snapshot's entity data without copying the data.
type overlay struct {
	data  types.EntityMap
	extra []types.Entity
}

var _ types.EntityGetter = (*overlay)(nil)

func (o *overlay) Get(uid types.EntityUID) (types.Entity, bool) {
	for i := range o.extra {
		if o.extra[i].UID == uid {
			return o.extra[i], true
		}
	}
	e, ok := o.data[uid]
	return e, ok
}

// newOverlay prepares the extra entities. An extra entity that IAM's data
// also knows keeps the data's parents (the union of both) and attributes
// (the extra entity's win); parents are closed through the data. The
// caller's slice is copied only when an entity has to change.
func newOverlay(data types.EntityMap, extra []types.Entity) *overlay {
	copied := false
	for i := range extra {
		known, inData := data[extra[i].UID]
		if !inData && !needsClosure(data, extra[i].Parents) {
			continue
		}
		if !copied {
			extra, copied = append([]types.Entity(nil), extra...), true
		}
		extra[i] = merged(data, known, extra[i])
	}
	return &overlay{data: data, extra: extra}
}

// needsClosure reports whether some parent has ancestors in the data.
func needsClosure(data types.EntityMap, parents types.EntityUIDSet) bool {
	for p := range parents.All() {
		if data[p].Parents.Len() > 0 {
			return true
		}
	}
	return false
}

func merged(data types.EntityMap, known, e types.Entity) types.Entity {
	if e.Parents.Len() == 0 {
		// The common case (a principal the mapper built, known to IAM's
		// data): the data's parents are already closed, so share them.
		e.Parents = known.Parents
		e.Attributes = mergeRecords(known.Attributes, e.Attributes)
		e.Tags = mergeRecords(known.Tags, e.Tags)
		return e
	}
	var parents []types.EntityUID
	add := func(set types.EntityUIDSet) {
		for p := range set.All() {
			parents = append(parents, p)
			parents = append(parents, data[p].Parents.Slice()...)
		}
	}
	add(known.Parents)
	add(e.Parents)
	e.Parents = types.NewEntityUIDSet(parents...)
	e.Attributes = mergeRecords(known.Attributes, e.Attributes)
	e.Tags = mergeRecords(known.Tags, e.Tags)
	return e
}

// mergeRecords returns base overlaid with top (top's values win).
func mergeRecords(base, top types.Record) types.Record {
	if base.Len() == 0 {
		return top
	}
	if top.Len() == 0 || covers(base, top) {
		return base
	}
	m := base.Map()
	for k, v := range top.All() {
		m[k] = v
	}
	return types.NewRecord(m)
}

// covers reports whether base already holds every key of top with an equal
// value, so that overlaying top changes nothing. It is the common case of
// a principal whose SPIFFE-derived attributes IAM's data also lists, and
// it spares building (and hashing) a new record on every Check.
func covers(base, top types.Record) bool {
	for k, v := range top.All() {
		if bv, ok := base.Get(k); !ok || !bv.Equal(v) {
			return false
		}
	}
	return true
}
