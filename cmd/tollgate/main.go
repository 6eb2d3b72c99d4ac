// Command tollgate is an Envoy ext_authz server that verifies SPIFFE
// workload identities and enforces IAM's Cedar policies.
//
//	tollgate serve --config tollgate.yaml    run the server
//	tollgate check [flags]                   send one CheckRequest and print the decision
//	tollgate explain [flags]                 decide one request offline and say why
//	tollgate validate DIR [--manifest F]     validate policies, schema, entities and manifests
//	tollgate test DIR                        run IAM's policy test suites
//	tollgate replay --policies DIR LOG...    re-evaluate decision logs against candidate policies
//	tollgate report --policies DIR LOG...    unused grants, exceptions, forbids and errors in a window
//	tollgate bundle build|sign|verify|push|keygen signed policy bundles
//	tollgate manifest pin TOOLS_LIST.json    mcp.pins for a saved tools/list response
//	tollgate version                         module version and VCS revision
//	tollgate completion bash|zsh|fish        shell completion script
//
// --help or -h on any command prints its usage and exits 0; a bad flag or
// argument exits 2.
package main

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"

	"github.com/tollgate-authz/tollgate/internal/suggest"
)

// exit codes
const (
	exitOK     = 0
	exitError  = 1 // bad input, failure
	exitUsage  = 2 // bad usage: unknown command or flag, wrong arguments
	exitDenied = 3 // tollgate check: the request was denied
)

type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() map[string]command {
	return map[string]command{
		"serve":      {"run the ext_authz server", runServe},
		"check":      {"send one CheckRequest (or --offline: decide one locally)", runCheck},
		"explain":    {"decide one request locally and say why (check --offline --explain)", runExplain},
		"validate":   {"validate a policy directory and manifests", runValidate},
		"test":       {"run policy test suites", runTest},
		"replay":     {"re-evaluate decision logs against candidate policies", runReplay},
		"report":     {"access review from decision logs: unused grants, exceptions, forbids, errors", runReport},
		"bundle":     {"build, sign and verify policy bundles", runBundle},
		"manifest":   {"pin MCP tool definitions from a saved tools/list response", runManifest},
		"version":    {"print the version", runVersion},
		"completion": {"print a shell completion script (bash, zsh, fish)", runCompletion},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmds := commands()
	switch {
	case len(args) == 0:
		usage(stderr, cmds)
		return exitUsage
	case isHelp(args[0]) && len(args) > 1 && cmds[args[1]].run != nil:
		return cmds[args[1]].run(append(args[2:], "--help"), stdout, stderr) // tollgate help bundle build
	case isHelp(args[0]):
		usage(stdout, cmds)
		return exitOK
	case args[0] == "--version" || args[0] == "-version":
		return runVersion(args[1:], stdout, stderr)
	}
	c, ok := cmds[args[0]]
	if !ok {
		return usageError(stderr, "tollgate", fmt.Sprintf("unknown command %q%s", args[0], suggest.Hint(args[0], slices.Collect(maps.Keys(cmds)))))
	}
	return c.run(args[1:], stdout, stderr)
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: tollgate <command> [flags]")
	for _, name := range commandNames {
		fmt.Fprintf(w, "  %-10s %s\n", name, cmds[name].summary)
	}
	fmt.Fprintln(w, "\n'tollgate <command> --help' describes a command's flags.\n"+
		"Exit status: 0 ok (check: allowed), 1 error, 2 bad usage, 3 check: denied (replay: decisions change),\n"+
		"4 replay: some decisions could not be replayed.")
}
