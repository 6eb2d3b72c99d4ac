package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
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

// runValidate checks a policy directory (syntax, @id, schema, entity data,
// governed exceptions) and the manifests against its schema, offline.
func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tollgate validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tollgate validate DIR [--manifest FILE|DIR]... [--config tollgate.yaml] [--max-exception-window D]")
		fs.PrintDefaults()
	}
	var pf policyFlags
	pf.register(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return exitError
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitError
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
	if env.manifest != nil {
		for _, w := range env.manifest.Warnings() {
			fmt.Fprintln(stderr, w)
		}
	}
	fmt.Fprintln(stdout, env.summary(pos[0]))
	return exitOK
}

func (env *offlineEnv) summary(dir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ok: %s: version %s (%s), %d policies", dir, env.snap.Version(), env.snap.Hash(), env.snap.Len())
	if n := len(env.snap.ActiveExceptions(env.snap.LoadedAt())); n > 0 {
		fmt.Fprintf(&b, ", %d exception(s)", n)
	}
	if env.snap.Schema() == nil {
		b.WriteString(", no schema (nothing validated against a schema)")
	} else {
		b.WriteString(", schema-valid")
	}
	if env.manifest != nil {
		fmt.Fprintf(&b, "; manifests %s: %d routes fit the schema", env.manifest.File(), len(env.manifest.Routes()))
	}
	return b.String()
}
