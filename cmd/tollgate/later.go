package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	structpb "google.golang.org/protobuf/types/known/structpb"
)

func listString(vs []*structpb.Value) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.GetStringValue()
	}
	return "[" + strings.Join(out, ",") + "]"
}

type offlineFlags struct{ enabled bool }

func (o *offlineFlags) register(fs *flag.FlagSet) {}

func runOfflineCheck(_ *checkFlags, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "tollgate check --offline: not available yet")
	return exitError
}
func runValidate(_ []string, _, stderr io.Writer) int { return notYet(stderr, "validate") }
func runTest(_ []string, _, stderr io.Writer) int     { return notYet(stderr, "test") }
func runBundle(_ []string, _, stderr io.Writer) int   { return notYet(stderr, "bundle") }
func notYet(w io.Writer, name string) int {
	fmt.Fprintf(w, "tollgate %s: not available yet\n", name)
	return exitError
}
