package main

import (
	"errors"
	"strings"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// failedInputs is a failure of the offline tools with the inputs at fault
// (the config, the policies, the manifests), so a summary blames the right
// one. It unwraps to each problem, as errors.Join does.
type failedInputs struct {
	errs   []error
	inputs []string
}

func (f *failedInputs) Error() string   { return errors.Join(f.errs...).Error() }
func (f *failedInputs) Unwrap() []error { return f.errs }

// inputsFailed is err blamed on the named inputs ("" names are left out).
func inputsFailed(err error, inputs ...string) error {
	f := &failedInputs{errs: flattenErrs(err)}
	for _, in := range inputs {
		if in != "" {
			f.inputs = append(f.inputs, in)
		}
	}
	return f
}

// failedName is name when err is not nil.
func failedName(err error, name string) string {
	if err == nil {
		return ""
	}
	return name
}

// blame names the inputs at fault in err, or what as a fallback.
func blame(err error, what string) string {
	var f *failedInputs
	if errors.As(err, &f) && len(f.inputs) > 0 {
		return strings.Join(f.inputs, ", ")
	}
	return what
}

// checkBlame names the inputs at fault when the policies were checked
// against the manifests and config: a route that does not fit the schema
// is the manifest's fault (authz.ErrManifestSchema), anything else the
// policies' (read together with the manifests and config).
func checkBlame(err error, dir string, m *manifest.Manifest) []string {
	manifest, policies := false, false
	for _, e := range flattenErrs(err) {
		if errors.Is(e, authz.ErrManifestSchema) {
			manifest = true
		} else {
			policies = true
		}
	}
	var inputs []string
	if manifest && m != nil {
		inputs = append(inputs, "manifests "+m.File()+" (against the schema in "+dir+")")
	}
	if policies || len(inputs) == 0 {
		inputs = append(inputs, "policies "+dir+" together with the manifests and config")
	}
	return inputs
}
