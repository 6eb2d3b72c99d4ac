package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/internal/server"
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
       tollgate validate --config tollgate.yaml   (the config's policy.dir)

Checks syntax, @ids, the schema, entity data, governed exceptions and the manifests; with
--config (signals, JWT claims, manifests, policy.require_schema) also that every policy reads
only context attributes, and names only entity types, actions and entities, that Tollgate's
requests can have, with or without a schema. serve, test, bundle build and verify run the same checks.
With --config it also checks, as serve does before it listens, every file the config names:
trust bundle files, federation CA files, the bundle public keys, the decision log's directory.`

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
	if len(pos) > 1 || (len(pos) == 0 && pf.config == "") {
		return usageError(stderr, fs.Name(), fmt.Sprintf("want one DIR|BUNDLE (or --config naming policy.dir), got %d argument(s)", len(pos)))
	}
	if pf.config != "" {
		if err := preflight(pf.config); err != nil {
			return failValidate(stderr, err, "config "+pf.config)
		}
	}
	dir := ""
	if len(pos) == 1 {
		dir = pos[0]
	}
	dir, err := policySource(dir, pf.config)
	if err != nil {
		return failValidate(stderr, err, "config "+pf.config)
	}
	env, err := loadOffline(dir, &pf)
	if err != nil {
		return failValidate(stderr, err, dir)
	}
	env.warnExpired(stderr)
	if env.manifest != nil {
		for _, w := range env.manifest.Warnings() {
			fmt.Fprintln(stderr, w)
		}
	}
	fmt.Fprintln(stdout, env.summary(dir))
	return exitOK
}

// preflight loads the config and checks, as serve does before it
// listens, every file it names: trust bundles, CA files, bundle keys.
func preflight(file string) error {
	cfg, err := config.Load(file)
	if err == nil {
		err = server.Preflight(cfg)
	}
	return err
}

// failValidate prints each problem and a summary naming the inputs at
// fault (what, unless err says).
func failValidate(stderr io.Writer, err error, what string) int {
	errs := flattenErrs(err)
	for _, e := range errs {
		fmt.Fprintln(stderr, e)
	}
	fmt.Fprintf(stderr, "FAIL: %s: %d problem(s)\n", blame(err, what), len(errs))
	return exitError
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
		fit := "fit the schema"
		if env.snap.Schema() == nil {
			fit = "checked (no schema to fit)"
		}
		fmt.Fprintf(&b, "; manifests %s: %d routes %s", env.manifest.File(), len(env.manifest.Routes()), fit)
	}
	b.WriteString("; policies " + env.check.String())
	return b.String()
}
