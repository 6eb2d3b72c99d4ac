package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// newFlagSet is a command's flag set. usage is the project's usage text;
// --help prints it, then the flags, on stdout.
func newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), usage)
		fmt.Fprintln(fs.Output(), "\nflags:")
		fs.PrintDefaults()
	}
	return fs
}

// parseCLI parses flags interleaved with positionals. When done, the
// command ends with code: 0 after --help or -h (usage on stdout), 2 after a
// bad flag (one line on stderr).
func parseCLI(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, code int, done bool) {
	usage := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	pos, err := parseInterleaved(fs, args)
	fs.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return nil, exitOK, true
	case err != nil:
		fs.SetOutput(stderr)
		return nil, usageError(stderr, fs.Name(), err.Error()), true
	}
	fs.SetOutput(stderr)
	return pos, exitOK, false
}

// usageError prints one line, "CMD: MSG (see CMD --help)", and returns 2.
func usageError(stderr io.Writer, cmd, msg string) int {
	fmt.Fprintf(stderr, "%s: %s (see '%s --help')\n", cmd, msg, cmd)
	return exitUsage
}

// wantArgs is the usage error for a wrong number of positional arguments.
func wantArgs(stderr io.Writer, cmd string, want string, got int) int {
	return usageError(stderr, cmd, fmt.Sprintf("want %s argument(s), got %d", want, got))
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}
