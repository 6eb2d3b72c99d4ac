package policy

import (
	"errors"
	"fmt"

	"github.com/cedar-policy/cedar-go"
)

// parsed is the result of parsing every policy file.
type parsed struct {
	entries []*entry
	byID    map[string]*entry
}

// parsePolicies parses every file, checks @id and exception annotations, and
// collects every problem rather than stopping at the first.
func parsePolicies(files []sourceFile, rules exceptionRules) (*parsed, error) {
	out := &parsed{byID: make(map[string]*entry)}
	var errs []error
	for _, f := range files {
		list, err := cedar.NewPolicyListFromBytes(f.path, f.data)
		if err != nil {
			errs = append(errs, parseError(f.path, err))
			continue
		}
		for _, p := range list {
			if err := out.add(f.path, p, rules); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func (out *parsed) add(file string, p *cedar.Policy, rules exceptionRules) error {
	pos := p.Position()
	le := &LoadError{File: file, Line: pos.Line, Column: pos.Column}
	ann := annotations(p)
	id, ok := ann["id"]
	if !ok || id == "" {
		le.Err = ErrMissingID
		return le
	}
	le.PolicyID = id
	if prev, dup := out.byID[id]; dup {
		le.Err = detail(ErrDuplicateID, "first defined at %s:%d:%d; every @id must be unique",
			prev.meta.File, prev.meta.Line, prev.meta.Column)
		return le
	}
	exc, err := rules.parseException(id, ann)
	if err != nil {
		le.Err = err
		return le
	}
	meta := &Meta{ID: id, File: file, Line: pos.Line, Column: pos.Column,
		Effect: effectOf(p), Exception: exc} // Annotations: built on demand (describe)
	e := &entry{id: cedar.PolicyID(id), policy: p, meta: meta}
	out.byID[id] = e
	out.entries = append(out.entries, e)
	return nil
}

func annotations(p *cedar.Policy) map[string]string {
	src := p.Annotations()
	ann := make(map[string]string, len(src))
	for k, v := range src {
		ann[string(k)] = string(v)
	}
	return ann
}

func effectOf(p *cedar.Policy) Effect {
	if p.Effect() == cedar.Forbid {
		return EffectForbid
	}
	return EffectPermit
}

// position renders file:line:col for messages.
func (m *Meta) position() string {
	return fmt.Sprintf("%s:%d:%d", m.File, m.Line, m.Column)
}
