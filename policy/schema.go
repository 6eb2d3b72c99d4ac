package policy

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/cedar-policy/cedar-go/x/exp/schema"
	"github.com/cedar-policy/cedar-go/x/exp/schema/resolved"
	"github.com/cedar-policy/cedar-go/x/exp/schema/validate"
)

// parseSchema parses and resolves the schema file, if any.
func parseSchema(f *sourceFile) (*resolved.Schema, error) {
	if f == nil {
		return nil, nil
	}
	var s schema.Schema
	s.SetFilename(f.path)
	var err error
	if f.path == fileSchemaJSON {
		err = s.UnmarshalJSON(f.data)
	} else if le := checkText(f, ErrSchema); le != nil {
		return nil, le
	} else {
		err = s.UnmarshalCedar(f.data)
	}
	if err != nil {
		return nil, schemaError(f.path, err)
	}
	res, err := s.Resolve()
	if err != nil {
		return nil, &LoadError{File: f.path, Err: fmt.Errorf("%w: %w", ErrSchema, err)}
	}
	return res, nil
}

// schemaError positions a schema parse error ("file:line:col: msg").
func schemaError(file string, err error) *LoadError {
	msg := strings.TrimPrefix(err.Error(), file+":")
	le := &LoadError{File: file}
	if n, _ := fmt.Sscanf(msg, "%d:%d:", &le.Line, &le.Column); n == 2 {
		msg = msg[strings.Index(msg, ": ")+2:]
	} else {
		le.Line, le.Column, msg = 0, 0, err.Error()
	}
	le.Err = fmt.Errorf("%w: %s", ErrSchema, msg)
	return le
}

// validatePolicies checks every policy against the schema.
func validatePolicies(res *resolved.Schema, mode SchemaMode, entries []*entry) error {
	v := validate.New(res, validatorOption(mode))
	var errs []error
	for _, e := range entries {
		err := v.Policy(e.meta.ID, e.ast())
		for _, one := range flatten(err) {
			msg := strings.TrimPrefix(one.Error(), fmt.Sprintf("for policy `%s`, ", e.meta.ID))
			errs = append(errs, &LoadError{File: e.meta.File, Line: e.meta.Line, Column: e.meta.Column,
				PolicyID: e.meta.ID, Err: fmt.Errorf("%w: %s", ErrSchemaInvalid, msg)})
		}
	}
	return errors.Join(errs...)
}

// validateEntities checks IAM's entity data against the schema. It runs
// before ancestors are closed, since a schema declares direct parents only.
func validateEntities(res *resolved.Schema, mode SchemaMode, file string, d *entityData) error {
	v := validate.New(res, validatorOption(mode))
	var errs []error
	for _, uid := range d.sortedUIDs() {
		if err := v.Entity(d.entities[uid]); err != nil {
			errs = append(errs, &LoadError{File: file, Line: d.lines[uid], Entity: uid.String(),
				Err: fmt.Errorf("%w: %w", ErrSchemaInvalid, err)})
		}
	}
	return errors.Join(errs...)
}

// addSchemaActions adds the schema's action entities (and their action
// groups) to the entity data, as Cedar does. An action the data declares
// too keeps the schema's groups as well as its own: data that leaves out
// a group must not take an action out of a forbid on that group.
func addSchemaActions(res *resolved.Schema, d *entityData) {
	if res == nil {
		return
	}
	for uid, a := range res.Actions {
		e, ok := d.entities[uid]
		if !ok {
			d.entities[uid] = a.Entity
			continue
		}
		parents := slices.Collect(e.Parents.All())
		e.Parents = types.NewEntityUIDSet(append(parents, slices.Collect(a.Entity.Parents.All())...)...)
		d.entities[uid] = e
	}
}

func validatorOption(mode SchemaMode) validate.Option {
	if mode == SchemaPermissive {
		return validate.WithPermissive()
	}
	return validate.WithStrict()
}

func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
