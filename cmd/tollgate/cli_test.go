package main

import (
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"
)

// everyCommand is every command and subcommand, as a user types it.
var everyCommand = [][]string{
	{}, {"serve"}, {"check"}, {"explain"}, {"validate"}, {"test"}, {"replay"}, {"report"}, {"version"}, {"completion"},
	{"bundle"}, {"bundle", "build"}, {"bundle", "sign"}, {"bundle", "verify"}, {"bundle", "push"}, {"bundle", "keygen"},
	{"manifest"}, {"manifest", "pin"},
}

// TestHelpExitsZero: --help and -h print the project's usage (not Go's
// "Usage of ...") on stdout and exit 0, for every command.
func TestHelpExitsZero(t *testing.T) {
	for _, cmd := range everyCommand {
		for _, h := range []string{"--help", "-h"} {
			args := append(append([]string{}, cmd...), h)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				code, out, errOut := runCLI(t, args...)
				if code != exitOK {
					t.Errorf("exit %d, want 0\n%s%s", code, out, errOut)
				}
				if !strings.Contains(out, "usage: tollgate") {
					t.Errorf("stdout has no project usage line:\n%s", out)
				}
				if strings.Contains(out+errOut, "Usage of") {
					t.Errorf("Go's default usage printed:\n%s%s", out, errOut)
				}
			})
		}
	}
}

// TestHelpCommand: "tollgate help CMD [SUB]" is "tollgate CMD [SUB] --help".
func TestHelpCommand(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"help", "validate"}, {"help", "bundle", "build"}} {
		code, out, errOut := runCLI(t, args...)
		if code != exitOK || !strings.Contains(out, "usage: tollgate "+strings.Join(args[1:], " ")) {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
}

// TestUnknownFlagExitsTwo: an unknown flag exits 2 with a one-line hint
// naming the flag and how to get help.
func TestUnknownFlagExitsTwo(t *testing.T) {
	for _, cmd := range everyCommand {
		args := append(append([]string{}, cmd...), "--no-such-flag")
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d\n%s%s", code, exitUsage, out, errOut)
			}
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], "no-such-flag") || !strings.Contains(lines[0], "--help") {
				t.Errorf("want one line naming the flag and --help, got:\n%s", errOut)
			}
		})
	}
}

// TestUsageErrorsExitTwo: a missing command or argument is a usage error.
func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{{}, {"no-such-command"}, {"validate"}, {"test"}, {"bundle"},
		{"bundle", "nope"}, {"bundle", "sign"}, {"check", "stray-argument"}, {"completion"}, {"completion", "tcsh"},
		{"replay"}, {"report", "--policies", "x"}, {"report", "--since", "-3d", "l"}, {"report", "--until", "yesterday", "l"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			if code, out, errOut := runCLI(t, args...); code != exitUsage {
				t.Errorf("exit %d, want %d\n%s%s", code, exitUsage, out, errOut)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errOut := runCLI(t, args...)
		if code != exitOK || !strings.HasPrefix(out, "tollgate ") {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
		for _, want := range []string{"revision", "modified"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: %q missing from %q", args, want, out)
			}
		}
	}
}

// TestVersionLine reads the module version and VCS stamp from the build
// information, and -ldflags values win.
func TestVersionLine(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "true"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}}}
	want := "tollgate v1.2.3 (revision abc123, modified true, committed 2026-01-02T03:04:05Z, go1.26)"
	if got := versionLine(bi, true); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := versionLine(nil, false); got != "tollgate unknown (revision unknown, modified unknown, committed unknown, unknown)" {
		t.Errorf("no build info: %q", got)
	}
	version, revision = "v9", "def456"
	defer func() { version, revision = "", "" }()
	if got := versionLine(bi, true); !strings.HasPrefix(got, "tollgate v9 (revision def456, modified true") {
		t.Errorf("ldflags: %q", got)
	}
}

// TestOutputJSON: check, validate and test print one JSON document with
// --output json, with the same exit codes as text.
func TestOutputJSON(t *testing.T) {
	check := []string{"check", "--offline", "--config", "../../examples/quickstart/tollgate.yaml",
		"--spiffe-id", "spiffe://example.org/ns/shop/sa/frontend", "--output", "json"}
	tests := []struct {
		args []string
		code int
		want []string
	}{
		{append(check, "--path", "/orders/42"), exitOK, []string{`"allowed": true`, `"code": "permit"`, `"policies": [`}},
		{append(check, "--path", "/nowhere"), exitDenied, []string{`"allowed": false`, `"code": "no_route"`}},
		{[]string{"validate", exampleDir, "--manifest", exampleManifest, "--output", "json"}, exitOK,
			[]string{`"ok": true`, `"version": "2025-01.1"`, `"routes": 3`, `"schema": true`}},
		{[]string{"validate", exampleDir, "--manifest", "testdata/manifests/smuggle_permit.yaml", "--output", "json"}, exitError,
			[]string{`"ok": false`, `"failed_inputs": "manifests"`, `cannot grant access`}},
		{[]string{"test", exampleDir, "--config", exampleConfig, "--output", "json"}, exitOK, []string{`"passed"`}},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, tt.args...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", tt.args, code, tt.code, out, errOut)
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Errorf("%v: stdout is not one JSON object: %v\n%s", tt.args, err, out)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: stdout lacks %s\n%s", tt.args, w, out)
			}
		}
	}
	if code, _, _ := runCLI(t, "validate", exampleDir, "--output", "yaml"); code != exitUsage {
		t.Errorf("--output yaml: exit %d, want %d", code, exitUsage)
	}
}
