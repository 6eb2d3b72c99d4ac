package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/policy"
)

// runExplain is `tollgate explain`: check --offline --explain.
func runExplain(args []string, stdout, stderr io.Writer) int {
	f, code, done := parseCheckFlags("tollgate explain", append([]string{"--offline", "--explain"}, args...), stdout, stderr)
	if done {
		return code
	}
	return runOfflineCheck(f, stdout, stderr)
}

// redacted replaces the value of a secret-marked signal.
const redacted = "[redacted]"

// secrets are the context keys of secret-marked signals.
func (env *offlineEnv) secrets() map[string]bool {
	out := map[string]bool{}
	for _, s := range env.signals {
		if s.Secret {
			out[s.Name] = true
		}
	}
	return out
}

// redact returns ctx with the secret attributes' values replaced.
func redact(ctx types.Record, secrets map[string]bool) types.Record {
	m := types.RecordMap{}
	for k, v := range ctx.All() {
		if secrets[string(k)] {
			v = types.String(redacted)
		}
		m[k] = v
	}
	return types.NewRecord(m)
}

// why explains the decision: for no_route the nearest routes; otherwise
// the principal's ancestors, the permits in scope whose condition failed,
// the forbids that denied and the evaluation errors, each with the
// condition and the values it read.
func (env *offlineEnv) why(w io.Writer, rec *recorder, d *authz.Decision, r *authz.Request) {
	fmt.Fprintln(w, "why:")
	if d.Code == authz.CodeNoRoute && env.manifest != nil {
		fmt.Fprintf(w, "  no route of the manifests matches %s %s; the nearest:\n", r.Method, r.Path)
		for _, m := range env.manifest.Nearest(r.Method, r.Path, 3) {
			fmt.Fprintf(w, "    %s:%d route %q: %s\n", m.File, m.Line, m.Route, m.Why)
		}
		return
	}
	if rec.req == nil {
		fmt.Fprintf(w, "  decided before any policy was asked: %s\n", d.Detail)
		return
	}
	env.ancestors(w, rec.req.Principal)
	snap, req, extra := rec.snap, *rec.req, rec.extra
	inScope := snap.InScope(req, extra...)
	if !d.Allowed() {
		env.nearMisses(w, snap, inScope, rec)
	}
	for _, id := range rec.decision.Determining {
		if m, _ := snap.Policy(id); m.Effect == policy.EffectForbid && rec.decision.Reason == policy.ReasonForbid {
			fmt.Fprintf(w, "  forbid %s:%d @id(%q) denied it\n", m.File, m.Line, id)
			if a, ok := snap.Applied(id, req, extra...); ok {
				env.printReads(w, "    its conditions: "+a.Condition, a.Reads)
			}
		}
	}
	for _, e := range rec.decision.Errors {
		m, _ := snap.Policy(e.PolicyID)
		fmt.Fprintf(w, "  %s %s:%d @id(%q) failed with an evaluation error: %s\n", m.Effect, m.File, m.Line, e.PolicyID, e.Kind)
		if miss, ok := snap.Diagnose(e.PolicyID, req, extra...); ok && miss.Erred {
			env.printMiss(w, miss)
		}
	}
}

func (env *offlineEnv) ancestors(w io.Writer, p types.EntityUID) {
	e, ok := env.snap.Entity(p)
	if !ok {
		fmt.Fprintf(w, "  principal %s is not in IAM's entity data: it is in no group\n", p)
		return
	}
	var names []string
	for a := range e.Parents.All() {
		names = append(names, a.String())
	}
	slices.Sort(names)
	fmt.Fprintf(w, "  principal's ancestors: [%s]\n", strings.Join(names, ", "))
}

// nearMisses prints the permits whose scope the request is in but whose
// condition did not hold.
func (env *offlineEnv) nearMisses(w io.Writer, snap *policy.Snapshot, inScope []string, rec *recorder) {
	n := 0
	for _, id := range inScope {
		m, _ := snap.Policy(id)
		if m.Effect != policy.EffectPermit {
			continue
		}
		miss, ok := snap.Diagnose(id, *rec.req, rec.extra...)
		if !ok {
			continue
		}
		n++
		fmt.Fprintf(w, "  permit %s:%d @id(%q) matched on scope, but its condition failed:\n", m.File, m.Line, id)
		env.printMiss(w, miss)
	}
	if n == 0 && rec.decision.Reason == policy.ReasonNoPermit {
		fmt.Fprintln(w, "  no permit's scope (principal, action, resource) contains this request")
	}
}

func (env *offlineEnv) printMiss(w io.Writer, m policy.Miss) {
	state := "is false"
	switch {
	case m.Erred:
		state = "failed"
	case strings.HasPrefix(m.Condition, "unless"):
		state = "is true"
	}
	env.printReads(w, "    "+m.Condition+" "+state, m.Reads)
}

// printReads prints a condition line and the values it read, secret
// signals redacted.
func (env *offlineEnv) printReads(w io.Writer, line string, reads []policy.Read) {
	fmt.Fprintln(w, line)
	secrets := env.secrets()
	for _, r := range reads {
		v := "(absent)"
		if r.Present {
			v = valueText(r.Value)
		}
		if name, ok := strings.CutPrefix(r.Path, "context."); ok && secrets[strings.Split(name, ".")[0]] {
			v = redacted
		}
		fmt.Fprintf(w, "      %s = %s\n", r.Path, v)
	}
}

func valueText(v types.Value) string {
	if m, ok := v.(interface{ MarshalCedar() []byte }); ok {
		return string(m.MarshalCedar())
	}
	return fmt.Sprint(v)
}
