package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tollgate-authz/tollgate/policy"
)

// parseInterleaved parses flags that may come before or after the
// positional arguments, which it returns.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

const validateUsage = `usage: tollgate validate DIR|BUNDLE [--manifest FILE|DIR]... [--config tollgate.yaml] [--max-exception-window D]

Checks syntax, @ids, the schema, entity data, governed exceptions and the manifests; with
--config (signals, JWT claims, manifests, policy.require_schema) also that every policy reads
only context attributes, and names only entity types, actions and entities, that Tollgate's
requests can have, with or without a schema. serve, test, bundle build and verify run the same checks.`

// runValidate checks a policy directory (syntax, @id, schema, entity data,
// governed exceptions) and the manifests against its schema, offline.
func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("tollgate validate", validateUsage)
	var pf policyFlags
	pf.register(fs)
	pos, code, done := parseCLI(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) != 1 {
		return wantArgs(stderr, fs.Name(), "1", len(pos))
	}
	env, err := loadOffline(pos[0], &pf)
	if err != nil {
		errs := flattenErrs(err)
		for _, e := range errs {
			fmt.Fprintln(stderr, e)
		}
		fmt.Fprintf(stderr, "FAIL: %s: %d problem(s)\n", pos[0], len(errs))
		return exitError
	}
	if env.cfg != nil {
		for _, w := range env.cfg.Warnings {
			fmt.Fprintln(stderr, "warning:", w)
		}
	}
	env.warnExpired(stderr)
	if env.manifest != nil {
		for _, w := range env.manifest.Warnings() {
			fmt.Fprintln(stderr, w)
		}
	}
	fmt.Fprintln(stdout, env.summary(pos[0]))
	return exitOK
}

// loadStrict loads dir like serve does, but also fails on a refused
// governed exception, whose file serve would leave out: IAM's own tools
// (validate, bundle build) must never pass one on.
func loadStrict(dir string, opts policy.Options) (*policy.Snapshot, error) {
	snap, err := policy.LoadDir(dir, opts)
	if err == nil && len(snap.Refused()) > 0 {
		return nil, errors.Join(snap.Refused()...)
	}
	return snap, err
}

// warnExpired prints one warning per expired exception: it no longer
// applies (serve loads the rest of the directory), but should be removed.
func (env *offlineEnv) warnExpired(w io.Writer) {
	for _, x := range env.snap.ExpiredExceptions(env.snap.LoadedAt()) {
		m, _ := env.snap.Policy(x.PolicyID)
		fmt.Fprintf(w, "warning: %s:%d:%d: policy @id(%q): exception %s expired at %s and no longer applies; remove it\n",
			m.File, m.Line, m.Column, x.PolicyID, x.Ticket, x.Expires.UTC().Format(time.RFC3339))
	}
}

func (env *offlineEnv) summary(dir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ok: %s: version %s (%s), %d policies", dir, env.snap.Version(), env.snap.Hash(), env.snap.Len())
	if n := len(env.snap.ActiveExceptions(env.snap.LoadedAt())); n > 0 {
		fmt.Fprintf(&b, ", %d exception(s)", n)
	}
	if n := len(env.snap.ExpiredExceptions(env.snap.LoadedAt())); n > 0 {
		fmt.Fprintf(&b, ", %d expired exception(s)", n)
	}
	if env.snap.Schema() == nil {
		b.WriteString(", no schema")
	} else {
		b.WriteString(", schema-valid")
	}
	if env.manifest != nil {
		fmt.Fprintf(&b, "; manifests %s: %d routes fit the schema", env.manifest.File(), len(env.manifest.Routes()))
	}
	b.WriteString("; policies " + env.check.String())
	return b.String()
}
