package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletion: each shell's script names every command, the bundle
// subcommands and the flags each command's flag set defines.
func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, out, errOut := runCLI(t, "completion", shell)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", shell, code, errOut)
		}
		for _, want := range append(append([]string{}, commandNames...), "keygen", "spiffe-id", "max-exception-window", "pub", "coverage") {
			if !strings.Contains(out, want) {
				t.Errorf("%s: script lacks %q", shell, want)
			}
		}
	}
	if flags := flagsOf("check"); len(flags) < 10 {
		t.Errorf("flagsOf(check) = %v: the --help parsing is broken", flags)
	}
}

// TestCompletionBashRuns: the bash script parses and completes.
func TestCompletionBashRuns(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	_, script, _ := runCLI(t, "completion", "bash")
	file := filepath.Join(t.TempDir(), "c.bash")
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	probe := `source "$1"; COMP_WORDS=(tollgate check --spi); COMP_CWORD=2; _tollgate; echo "${COMPREPLY[@]}"
COMP_WORDS=(tollgate bundle ke); COMP_CWORD=2; _tollgate; echo "${COMPREPLY[@]}"`
	out, err := exec.Command(bash, "-c", probe, "bash", file).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--spiffe-id") || !strings.Contains(string(out), "keygen") {
		t.Errorf("bash completion: %v\n%s", err, out)
	}
}
