package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

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
	output := outputFlag("text")
	fs.Var(&output, "output", "text or json (one JSON object with the result, problems and warnings)")
	pos, code, done := parseCLI(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 1 || (len(pos) == 0 && pf.config == "") {
		return usageError(stderr, fs.Name(), fmt.Sprintf("want one DIR|BUNDLE (or --config naming policy.dir), got %d argument(s)", len(pos)))
	}
	res := validate(pos, &pf)
	if output.json() {
		printJSON(stdout, res)
	} else {
		res.printText(stdout, stderr)
	}
	if !res.OK {
		return exitError
	}
	return exitOK
}

// validate runs every check; the result holds what passed or failed.
func validate(pos []string, pf *policyFlags) *validateResult {
	if pf.config != "" {
		if err := preflight(pf.config); err != nil {
			return failed(err, "config "+pf.config)
		}
	}
	dir := ""
	if len(pos) == 1 {
		dir = pos[0]
	}
	dir, err := policySource(dir, pf.config)
	if err != nil {
		return failed(err, "config "+pf.config)
	}
	env, err := loadOffline(dir, pf)
	if err != nil {
		return failed(err, dir)
	}
	return env.result(dir)
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
