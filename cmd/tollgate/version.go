package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// version, revision and modified override the build information when set
// at build time, for builds Go cannot stamp (a git worktree, a source
// tarball, -buildvcs=false):
//
//	go build -ldflags "-X main.version=v1.2.3 -X main.revision=$(git rev-parse HEAD) -X main.modified=false"
var version, revision, modified = "", "", ""

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
	v, rev, mod, at, gov := "unknown", "unknown", "unknown", "unknown", "unknown"
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
				mod = s.Value
			case "vcs.time":
				at = s.Value
			}
		}
	}
	v, rev, mod = orElse(version, v), orElse(revision, rev), orElse(modified, mod)
	return fmt.Sprintf("tollgate %s (revision %s, modified %s, committed %s, %s)", v, rev, mod, at, gov)
}

func orElse(set, def string) string {
	if set != "" {
		return set
	}
	return def
}
