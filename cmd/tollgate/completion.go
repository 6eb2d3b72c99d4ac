package main

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
)

const completionUsage = `usage: tollgate completion bash|zsh|fish

Prints a shell completion script for commands, bundle subcommands and flags:
  source <(tollgate completion bash)               # bash, e.g. in ~/.bashrc
  source <(tollgate completion zsh)                # zsh (through bashcompinit)
  tollgate completion fish > ~/.config/fish/completions/tollgate.fish`

func runCompletion(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("tollgate completion", completionUsage)
	pos, code, done := parseCLI(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) != 1 {
		return usageError(stderr, fs.Name(), "want one of bash, zsh or fish")
	}
	switch pos[0] {
	case "bash":
		completeBash(stdout)
	case "zsh":
		completeZsh(stdout)
	case "fish":
		completeFish(stdout)
	default:
		return usageError(stderr, fs.Name(), fmt.Sprintf("unknown shell %q: want bash, zsh or fish", pos[0]))
	}
	return exitOK
}

// commandNames are the commands in usage order.
var commandNames = []string{"serve", "check", "explain", "validate", "test", "replay", "report", "bundle", "manifest", "version", "completion"}

var bundleSubs = []string{"build", "sign", "verify", "push", "keygen"}

var flagLine = regexp.MustCompile(`(?m)^  -(\S+)`)

// flagsOf lists a command's flags as its own --help prints them, so the
// completion never disagrees with the flag sets.
func flagsOf(args ...string) []string {
	var out bytes.Buffer
	run(append(args, "--help"), &out, io.Discard)
	var flags []string
	for _, m := range flagLine.FindAllStringSubmatch(out.String(), -1) {
		flags = append(flags, m[1])
	}
	return flags
}

func dashed(flags []string) string {
	out := make([]string, len(flags))
	for i, f := range flags {
		out[i] = "--" + f
		if len(f) == 1 {
			out[i] = "-" + f
		}
	}
	return strings.Join(out, " ")
}

func completeBash(w io.Writer) {
	fmt.Fprintf(w, `# bash completion for tollgate
_tollgate() {
  local cur=${COMP_WORDS[COMP_CWORD]} flags=""
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "%s --help --version" -- "$cur")); return
  fi
  case "${COMP_WORDS[1]}" in
`, strings.Join(commandNames, " "))
	for _, c := range commandNames {
		if c == "bundle" {
			fmt.Fprintf(w, "    bundle)\n      if [[ $COMP_CWORD -eq 2 ]]; then COMPREPLY=($(compgen -W %q -- \"$cur\")); return; fi\n      case \"${COMP_WORDS[2]}\" in\n", strings.Join(bundleSubs, " "))
			for _, s := range bundleSubs {
				fmt.Fprintf(w, "        %s) flags=%q;;\n", s, dashed(flagsOf("bundle", s)))
			}
			fmt.Fprintln(w, "      esac;;")
			continue
		}
		fmt.Fprintf(w, "    %s) flags=%q;;\n", c, dashed(flagsOf(c)))
	}
	fmt.Fprint(w, `  esac
  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$flags --help" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -o filenames -F _tollgate tollgate
`)
}

func completeZsh(w io.Writer) {
	fmt.Fprintln(w, "# zsh completion for tollgate (through bash's)\nautoload -U +X bashcompinit && bashcompinit")
	completeBash(w)
}

func completeFish(w io.Writer) {
	fmt.Fprintln(w, "# fish completion for tollgate")
	cmds := commands()
	for _, c := range commandNames {
		fmt.Fprintf(w, "complete -c tollgate -f -n __fish_use_subcommand -a %s -d %q\n", c, cmds[c].summary)
	}
	for _, s := range bundleSubs {
		fmt.Fprintf(w, "complete -c tollgate -f -n '__fish_seen_subcommand_from bundle; and not __fish_seen_subcommand_from %s' -a %s\n",
			strings.Join(bundleSubs, " "), s)
	}
	emit := func(cond string, flags []string) {
		for _, f := range flags {
			opt := "-l " + f
			if len(f) == 1 {
				opt = "-s " + f
			}
			fmt.Fprintf(w, "complete -c tollgate -n %q %s\n", cond, opt)
		}
	}
	for _, c := range commandNames {
		if c != "bundle" {
			emit("__fish_seen_subcommand_from "+c, flagsOf(c))
		}
	}
	for _, s := range bundleSubs {
		emit("__fish_seen_subcommand_from bundle; and __fish_seen_subcommand_from "+s, flagsOf("bundle", s))
	}
}
