package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/internal/decisionlog"
)

// Exit statuses of replay (documented in replayUsage and the README).
const (
	exitChanged = 3 // replay: at least one decision would change
	exitUnknown = 4 // replay: none changed, but some policy decisions could not be replayed
)

const replayUsage = `usage: tollgate replay --policies DIR|BUNDLE [--entities FILE] [--config tollgate.yaml] [--output text|json] DECISIONLOG...

Re-evaluates every decision recorded in the decision logs (schema_version 1, docs/decision-log.md)
against candidate policies, and prints each decision whose outcome (allow or deny) would change,
grouped by action and by the policies that would now determine it. Exceptions are judged at the
time of the replay, as the candidate would be served now.

Lines that cannot be replayed are counted and listed, never taken as unchanged:
  unknown   a policy decision that cannot be re-evaluated faithfully: an unknown schema_version,
            no context, a principal/action/resource that does not parse, or a candidate policy in
            scope that reads a context key the log withheld (context_redacted);
  skipped   decided before or beside policy (identity, routing, a manifest's MCP method rule):
            a policy change does not reach them.

Exit status: 0 nothing changed and everything replayed; 3 at least one decision would change;
4 nothing changed but some policy decisions could not be replayed; 1 bad input; 2 bad usage.`

type replayFlags struct {
	policies string
	entities string
	pf       policyFlags
	output   outputFlag
}

// load reads the candidate policies (checked as validate and serve check
// them) and the extra entities, printing any error under cmd.
func (f *replayFlags) load(stderr io.Writer, cmd string) (*offlineEnv, []types.Entity, bool) {
	src, err := policySource(f.policies, f.pf.config)
	if err != nil {
		fmt.Fprintln(stderr, cmd+":", err)
		return nil, nil, false
	}
	env, err := loadOffline(src, &f.pf)
	if err != nil {
		printErrors(stderr, cmd, err)
		return nil, nil, false
	}
	ents, err := loadEntities(f.entities)
	if err != nil {
		fmt.Fprintln(stderr, cmd+": --entities:", err)
		return nil, nil, false
	}
	return env, ents, true
}

func (f *replayFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.policies, "policies", "", "candidate policy directory or bundle archive (default: the config's policy.dir)")
	fs.StringVar(&f.entities, "entities", "", "Cedar entity JSON laid over the policies' entity data")
	f.pf.register(fs)
	f.output = "text"
	fs.Var(&f.output, "output", "text or json")
}

// runReplay is `tollgate replay`.
func runReplay(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("tollgate replay", replayUsage)
	var f replayFlags
	f.register(fs)
	logs, code, done := parseCLI(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(logs) == 0 {
		return wantArgs(stderr, fs.Name(), "one or more DECISIONLOG", 0)
	}
	env, ents, ok := f.load(stderr, "tollgate replay")
	if !ok {
		return exitError
	}
	rp := newReplayer(env.snap, ents)
	for _, path := range logs {
		if err := decisionlog.ReadFile(path, nil, rp.line); err != nil {
			fmt.Fprintln(stderr, "tollgate replay:", err)
			return exitError
		}
	}
	res := rp.result()
	if f.output.json() {
		printJSON(stdout, res)
	} else {
		res.printText(stdout)
	}
	return res.exit()
}

var errNoContext = errors.New("no context recorded")
