package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// validateResult is what validate found, printed as text or as JSON.
type validateResult struct {
	OK                bool     `json:"ok"`
	Source            string   `json:"source,omitempty"`
	Version           string   `json:"version,omitempty"`
	Hash              string   `json:"hash,omitempty"`
	Policies          int      `json:"policies"`
	Schema            bool     `json:"schema"`
	Exceptions        int      `json:"exceptions"`
	ExpiredExceptions int      `json:"expired_exceptions"`
	Manifests         string   `json:"manifests,omitempty"`
	Routes            int      `json:"routes"`
	Checked           string   `json:"checked,omitempty"` // what the policies were checked against
	Warnings          []string `json:"warnings"`
	Problems          []string `json:"problems"`
	FailedInputs      string   `json:"failed_inputs,omitempty"`
}

// failed is the result of a failed validation, blaming the inputs at
// fault (what, unless err says).
func failed(err error, what string) *validateResult {
	r := &validateResult{FailedInputs: blame(err, what), Warnings: []string{}}
	for _, e := range flattenErrs(err) {
		r.Problems = append(r.Problems, e.Error())
	}
	return r
}

// result is the result of a validation that passed.
func (env *offlineEnv) result(dir string) *validateResult {
	at := env.snap.LoadedAt()
	r := &validateResult{OK: true, Source: dir, Version: env.snap.Version(), Hash: env.snap.Hash(),
		Policies: env.snap.Len(), Schema: env.snap.Schema() != nil, Exceptions: len(env.snap.ActiveExceptions(at)),
		ExpiredExceptions: len(env.snap.ExpiredExceptions(at)), Checked: env.check.String(), Warnings: []string{}, Problems: []string{}}
	if env.cfg != nil {
		for _, w := range env.cfg.Warnings {
			r.Warnings = append(r.Warnings, "warning: "+w)
		}
	}
	for _, x := range env.snap.ExpiredExceptions(at) {
		m, _ := env.snap.Policy(x.PolicyID)
		r.Warnings = append(r.Warnings, fmt.Sprintf("warning: %s:%d:%d: policy @id(%q): exception %s expired at %s and no longer applies; remove it",
			m.File, m.Line, m.Column, x.PolicyID, x.Ticket, x.Expires.UTC().Format(time.RFC3339)))
	}
	r.Warnings = append(r.Warnings, env.policyWarnings()...)
	if env.manifest != nil {
		r.Manifests, r.Routes = env.manifest.File(), len(env.manifest.Routes())
		r.Warnings = append(r.Warnings, env.manifest.Warnings()...)
	}
	return r
}

// printText prints warnings and problems on stderr, the summary on stdout.
func (r *validateResult) printText(stdout, stderr io.Writer) {
	for _, w := range r.Warnings {
		fmt.Fprintln(stderr, w)
	}
	if !r.OK {
		for _, p := range r.Problems {
			fmt.Fprintln(stderr, p)
		}
		fmt.Fprintf(stderr, "FAIL: %s: %d problem(s)\n", r.FailedInputs, len(r.Problems))
		return
	}
	fmt.Fprintln(stdout, r.summary())
}

func (r *validateResult) summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ok: %s: version %s (%s), %d policies", r.Source, r.Version, r.Hash, r.Policies)
	if r.Exceptions > 0 {
		fmt.Fprintf(&b, ", %d exception(s)", r.Exceptions)
	}
	if r.ExpiredExceptions > 0 {
		fmt.Fprintf(&b, ", %d expired exception(s)", r.ExpiredExceptions)
	}
	fit := "fit the schema"
	if r.Schema {
		b.WriteString(", schema-valid")
	} else {
		b.WriteString(", no schema")
		fit = "checked (no schema to fit)"
	}
	if r.Manifests != "" {
		fmt.Fprintf(&b, "; manifests %s: %d routes %s", r.Manifests, r.Routes, fit)
	}
	b.WriteString("; policies " + r.Checked)
	return b.String()
}
