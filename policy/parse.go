package policy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cedar-policy/cedar-go"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// parsed is the result of parsing every policy file.
type parsed struct {
	entries []*entry
	byID    map[string]*entry
	// folded holds the entries by lower-cased @id: two @ids that differ
	// only in letter case read as one policy to a reviewer.
	folded map[string]*entry
	// refused are the files left out because a governed exception in them
	// was refused (malformed, or over the approval window).
	refused []error
}

// parsePolicies parses every file, checks @id and exception annotations, and
// collects every problem rather than stopping at the first. A file whose
// only problems are refused exceptions is left out (see refuseFile).
func parsePolicies(files []sourceFile, rules exceptionRules) (*parsed, error) {
	out := &parsed{byID: make(map[string]*entry), folded: make(map[string]*entry)}
	var errs []error
	in := newInterner()
	for i := range files {
		f := &files[i]
		if le := checkText(f, ErrParse); le != nil {
			errs = append(errs, le)
			continue
		}
		list, err := cedar.NewPolicyListFromBytes(f.path, f.data)
		f.data = nil // parsed: keep no second copy of the text while the rest loads
		if err != nil {
			errs = append(errs, parseError(f.path, err))
			continue
		}
		if len(list) == 0 {
			errs = append(errs, &LoadError{File: f.path, Err: ErrEmptyFile})
			continue
		}
		entries, excErrs, fileErrs := parseFile(f.path, list, rules, in)
		switch {
		case len(fileErrs) > 0:
			errs = append(errs, fileErrs...)
			errs = append(errs, excErrs...)
		case len(excErrs) > 0:
			if err := out.refuseFile(list, excErrs); err != nil {
				errs = append(errs, err)
			}
		default:
			errs = append(errs, out.merge(entries)...)
		}
	}
	if len(errs) > 0 {
		// Report the refused exceptions too: every problem at once.
		return nil, errors.Join(append(errs, out.refused...)...)
	}
	out.folded = nil // only merge reads it
	return out, nil
}

// parseFile builds the entries of one file. excErrs are refused governed
// exceptions; errs every other problem.
func parseFile(file string, list []*cedar.Policy, rules exceptionRules, in *interner) (entries []*entry, excErrs, errs []error) {
	for _, p := range list {
		pos := p.Position()
		le := &LoadError{File: file, Line: pos.Line, Column: pos.Column}
		ann := annotations(p)
		id, ok := ann["id"]
		if !ok || id == "" {
			le.Err = ErrMissingID
			errs = append(errs, le)
			continue
		}
		le.PolicyID = id
		if err := checkID(id); err != nil {
			le.Err = err
			errs = append(errs, le)
			continue
		}
		exc, err := rules.parseException(id, ann)
		if err != nil {
			le.Err = err
			excErrs = append(excErrs, le)
			continue
		}
		meta := &Meta{ID: id, File: file, Line: pos.Line, Column: pos.Column,
			Effect: effectOf(p), Exception: exc} // Annotations: built on demand (describe)
		entries = append(entries, newEntry(p, meta, in))
	}
	return entries, excErrs, errs
}

// refuseFile leaves out a file whose governed exceptions were refused, so
// the rest of the directory still loads (an emergency forbid elsewhere
// must not wait for the exception to be fixed). Leaving out a permit only
// takes access away; leaving out a forbid would grant it, so a file that
// holds a forbid refuses the whole version instead.
func (out *parsed) refuseFile(list []*cedar.Policy, excErrs []error) error {
	for _, p := range list {
		if p.Effect() != cedar.Forbid {
			continue
		}
		id := annotations(p)["id"]
		for _, err := range excErrs {
			var le *LoadError
			if errors.As(err, &le) {
				le.Err = fmt.Errorf("%w; the file also holds forbid @id(%q), which is never dropped, so the whole version is refused",
					le.Err, id)
			}
		}
		return errors.Join(excErrs...)
	}
	out.refused = append(out.refused, excErrs...)
	return nil
}

// merge adds a file's entries, refusing duplicate @ids.
func (out *parsed) merge(entries []*entry) []error {
	var errs []error
	for _, e := range entries {
		m := e.meta
		if prev, dup := out.folded[strings.ToLower(m.ID)]; dup {
			errs = append(errs, &LoadError{File: m.File, Line: m.Line, Column: m.Column, PolicyID: m.ID,
				Err: duplicateID(prev.meta, m.ID)})
			continue
		}
		out.byID[m.ID], out.folded[strings.ToLower(m.ID)] = e, e
		out.entries = append(out.entries, e)
	}
	return errs
}

func duplicateID(prev *Meta, id string) error {
	if prev.ID == id {
		return detail(ErrDuplicateID, "first defined at %s; every @id must be unique", prev.position())
	}
	return detail(ErrDuplicateID, "@id(%q) at %s differs only in letter case; every @id must be unique, ignoring case",
		prev.ID, prev.position())
}

func annotations(p *cedar.Policy) map[string]string {
	return annotationMap((*xast.Policy)(p.AST()).Annotations)
}

func annotationMap(src []xast.AnnotationType) map[string]string {
	ann := make(map[string]string, len(src))
	for _, a := range src {
		ann[string(a.Key)] = string(a.Value)
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
