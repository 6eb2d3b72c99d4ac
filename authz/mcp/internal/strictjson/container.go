package strictjson

import (
	"strconv"
	"strings"
	"unicode"
)

func (p *parser) array(depth int) (Value, error) {
	start := p.pos
	p.pos++ // '['
	p.skipWS()
	v := Value{Kind: Array}
	slot, size := p.size()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		v.Raw = p.data[start:p.pos]
		return v, nil
	}
	if !p.counting {
		v.Elems = make([]Value, 0, size)
	}
	n := 0
	for more := true; more; n++ {
		elem, err := p.value(depth)
		if err != nil {
			return Value{}, within(err, strconv.Itoa(n))
		}
		if !p.counting {
			v.Elems = append(v.Elems, elem)
		}
		if more, err = p.sep(']'); err != nil {
			return Value{}, err
		}
	}
	p.setSize(slot, n)
	v.Raw = p.data[start:p.pos]
	return v, nil
}

func (p *parser) object(depth int) (Value, error) {
	start := p.pos
	p.pos++ // '{'
	p.skipWS()
	v := Value{Kind: Object}
	slot, size := p.size()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		v.Raw = p.data[start:p.pos]
		return v, nil
	}
	if !p.counting {
		v.Members = make([]Member, 0, size)
	}
	var keys keySet
	n := 0
	for more := true; more; n++ {
		keyAt := p.pos
		if keyAt >= len(p.data) || p.data[keyAt] != '"' {
			return Value{}, errAt(ErrSyntax, keyAt, "expected a string object key")
		}
		key, err := p.str()
		if err != nil {
			return Value{}, err
		}
		if err := p.checkKey(&keys, v.Members, key, keyAt); err != nil {
			return Value{}, err
		}
		if err := p.expect(':', "':' after object key"); err != nil {
			return Value{}, err
		}
		p.skipWS()
		val, err := p.value(depth)
		if err != nil {
			return Value{}, within(err, QuoteKey(key))
		}
		if !p.counting {
			v.Members = append(v.Members, Member{Key: key, Val: val})
		}
		if more, err = p.sep('}'); err != nil {
			return Value{}, err
		}
	}
	p.setSize(slot, n)
	v.Raw = p.data[start:p.pos]
	return v, nil
}

// checkKey refuses, in the building pass (where keys are decoded), a key
// with a control character, "__proto__", or one that repeats an earlier key.
func (p *parser) checkKey(keys *keySet, prev []Member, key string, off int) error {
	if p.counting {
		return nil
	}
	if strings.ContainsFunc(key, unicode.IsControl) {
		return errAt(ErrBadKey, off, "key %s has a control character", QuoteKey(key))
	}
	if key == protoKey {
		return errAt(ErrBadKey, off, "key %q: a JavaScript reader that copies the object by assignment reads its members as the object's own", key)
	}
	return keys.add(prev, key, off)
}

// protoKey is the member name that JavaScript's assignment ([[Set]],
// Object.assign) turns into the object's prototype.
const protoKey = "__proto__"

// smallObject is the member count up to which keys are compared pairwise.
const smallObject = 16

// keySet detects keys that are equal after Unicode simple case folding,
// the rule encoding/json uses to match struct fields. Small objects are
// checked pairwise against the members parsed so far; large ones by map.
type keySet struct {
	folded map[string]string // folded key -> original, once large
}

func (s *keySet) add(prev []Member, key string, off int) error {
	if s.folded == nil && len(prev) < smallObject {
		for i := range prev {
			if strings.EqualFold(prev[i].Key, key) {
				return dupError(prev[i].Key, key, off)
			}
		}
		return nil
	}
	if s.folded == nil {
		s.folded = make(map[string]string, 2*smallObject)
		for i := range prev {
			s.folded[fold(prev[i].Key)] = prev[i].Key
		}
	}
	f := fold(key)
	if k, ok := s.folded[f]; ok {
		return dupError(k, key, off)
	}
	s.folded[f] = key
	return nil
}

func dupError(first, second string, off int) error {
	if first == second {
		return errAt(ErrDuplicateKey, off, "key %s appears more than once", QuoteKey(second))
	}
	return errAt(ErrDuplicateKey, off, "key %s duplicates %s under case folding",
		QuoteKey(second), QuoteKey(first))
}
