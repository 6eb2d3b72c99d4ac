package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// version overrides the module version when set at build time with
// -ldflags "-X main.version=v1.2.3".
var version = ""

const versionUsage = `usage: tollgate version (or tollgate --version)

Prints the module version, the VCS revision, whether the tree was modified
(dirty) when built, and the Go version, from the binary's build information.`

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("tollgate version", versionUsage)
	pos, code, done := parseCLI(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) != 0 {
		return wantArgs(stderr, fs.Name(), "0", len(pos))
	}
	fmt.Fprintln(stdout, versionLine(debug.ReadBuildInfo()))
	return exitOK
}

// versionLine is "tollgate VERSION (revision REV, modified BOOL, committed
// TIME, GOVERSION)"; what the build did not record reads "unknown".
func versionLine(bi *debug.BuildInfo, ok bool) string {
	v, rev, modified, at, gov := "unknown", "unknown", "unknown", "unknown", "unknown"
	if ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		gov = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			case "vcs.time":
				at = s.Value
			}
		}
	}
	if version != "" {
		v = version
	}
	return fmt.Sprintf("tollgate %s (revision %s, modified %s, committed %s, %s)", v, rev, modified, at, gov)
}
