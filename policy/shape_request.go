package policy

import (
	"fmt"
	"sort"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/cedar-policy/cedar-go/x/exp/schema/validate"

	"github.com/tollgate-authz/tollgate/internal/suggest"
)

// CheckRequest explains why req (with the extra entities a test supplies)
// is not a request Tollgate could build with sh, or does not fit the
// schema: an unknown action or entity type, a context attribute Tollgate
// never sets or of the wrong type, an entity the schema rejects. No
// messages means it fits. A test case that does not fit proves nothing: it
// is decided by no policy meant for it.
func (s *Snapshot) CheckRequest(sh *Shape, req types.Request, extra ...types.Entity) []string {
	if sh == nil {
		sh = &Shape{}
	}
	k := s.known(sh)
	var msgs []string
	add := func(m string) { msgs = append(msgs, m) }
	known := true
	if sh.EntityTypes != nil || s.schema != nil {
		k.uidType(req.Action, add)
		k.uidType(req.Resource, add)
		k.uidType(req.Principal, add)
		known = len(msgs) == 0
	}
	if sh.Context != nil {
		msgs = append(msgs, sh.Context.recordProblems(nil, req.Context)...)
	}
	if s.schema != nil && known && len(msgs) == 0 {
		v := validate.New(s.schema, validate.WithStrict())
		if err := v.Request(req); err != nil {
			add(err.Error())
		}
		for _, e := range extra {
			if err := v.Entity(e); err != nil {
				add(fmt.Sprintf("entity %s: %v", e.UID, err))
			}
		}
	}
	return msgs
}

// uidType reports an action or entity type no request can have.
func (k *knownSet) uidType(u types.EntityUID, add func(string)) {
	switch {
	case isActionType(u.Type) && !k.action(u):
		add(fmt.Sprintf("action %s is named by neither the schema, the manifests nor the entity data%s",
			u, suggest.Hint(string(u.ID), k.actionNames(u.Type))))
	case !k.types[u.Type]:
		k.typ(u.Type, add)
	}
}

// recordProblems checks the attributes of a record value against a.
func (a *Attr) recordProblems(path []string, r types.Record) []string {
	var keys []string
	for key := range r.All() {
		keys = append(keys, string(key))
	}
	sort.Strings(keys)
	var msgs []string
	for _, key := range keys {
		p := append(append([]string(nil), path...), key)
		if msg := a.lookupFrom(path, []string{key}); msg != "" {
			msgs = append(msgs, msg)
			continue
		}
		v, _ := r.Get(types.String(key))
		msgs = append(msgs, a.Attrs[key].valueProblems(p, v)...)
	}
	return msgs
}

func (a *Attr) valueProblems(path []string, v types.Value) []string {
	if a == nil || a.Open {
		return nil
	}
	if got := valueType(v); got != a.Type {
		return []string{fmt.Sprintf("%s is a %s in requests, not a %s", dotted(path), a.Type, got)}
	}
	if r, ok := v.(types.Record); ok && a.Attrs != nil {
		return a.recordProblems(path, r)
	}
	return nil
}

func dotted(path []string) string {
	s := "context"
	for _, p := range path {
		s += "." + p
	}
	return s
}

// valueType names v's type as Attr.Type does.
func valueType(v types.Value) string {
	switch v.(type) {
	case types.String:
		return "String"
	case types.Long:
		return "Long"
	case types.Boolean:
		return "Bool"
	case types.Record:
		return "record"
	case types.Set:
		return "Set"
	case types.Datetime:
		return "datetime"
	case types.IPAddr:
		return "ipaddr"
	case types.EntityUID:
		return "entity"
	}
	return fmt.Sprintf("%T", v)
}
