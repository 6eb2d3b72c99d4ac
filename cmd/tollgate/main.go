// Command tollgate is an Envoy ext_authz server that verifies SPIFFE
// workload identities and enforces IAM's Cedar policies.
//
//	tollgate serve --config tollgate.yaml    run the server
//	tollgate check [flags]                   send one CheckRequest and print the decision
//	tollgate explain [flags]                 decide one request offline and say why
//	tollgate validate DIR [--manifest F]     validate policies, schema, entities and manifests
//	tollgate test DIR                        run IAM's policy test suites
//	tollgate bundle build|sign|verify|keygen signed policy bundles
package main

import (
	"fmt"
	"io"
	"os"
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
		"serve":    {"run the ext_authz server", runServe},
		"check":    {"send one CheckRequest (or --offline: decide one locally)", runCheck},
		"explain":  {"decide one request locally and say why (check --offline --explain)", runExplain},
		"validate": {"validate a policy directory and manifests", runValidate},
		"test":     {"run policy test suites", runTest},
		"bundle":   {"build, sign and verify policy bundles", runBundle},
		"version":  {"print the version", runVersion},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr, cmds)
		return exitError
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "tollgate: unknown command %q\n", args[0])
		usage(stderr, cmds)
		return exitError
	}
	return c.run(args[1:], stdout, stderr)
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: tollgate <command> [flags]")
	for _, name := range []string{"serve", "check", "explain", "validate", "test", "bundle", "version"} {
		fmt.Fprintf(w, "  %-9s %s\n", name, cmds[name].summary)
	}
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func runVersion(_ []string, stdout, _ io.Writer) int {
	fmt.Fprintln(stdout, "tollgate", version)
	return exitOK
}
