package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// readmeRun runs the shell blocks of one section of an example's README as
// written: bash runs them, in order, from a copy of the repository's
// examples. Only what parallel test runs cannot share is replaced, in the
// copied files and in the commands alike: the listen addresses (each by a
// free one), the paths in replace, and `go run` of the repository's
// commands by the binaries built for the test (tollgate's non-zero exit
// status printed as `go run` prints it).
type readmeRun struct {
	example string // examples/<example>/README.md
	// sections are the headings whose ```sh blocks run, in order (none:
	// the whole README).
	sections []string
	// blocks picks the sections' ```sh blocks to run, by index (nil: all).
	blocks []int
	// background runs a block ("in another terminal": a server) in the
	// background, then waits until the URL it maps to answers 2xx.
	background map[int]string
	tools      []string // real programs the commands need on PATH
	addrs      []string // the fixed 127.0.0.1:port addresses the example uses
	replace    []string // further old, new pairs
	timeout    time.Duration
	// keepGoing runs every command even when one fails (a denial exits 3):
	// what each printed is asserted instead.
	keepGoing bool
}

// run runs the commands and returns what they printed (stdout and stderr).
// Background processes the commands start are stopped at the end of the test.
func (r readmeRun) run(t *testing.T) string {
	t.Helper()
	for _, tool := range r.tools {
		requireTool(t, tool)
	}
	root := t.TempDir()
	harness.CopyDir(t, "../../examples", filepath.Join(root, "examples"))
	tools, _ := filepath.Abs("../../.tools")
	if err := os.Symlink(tools, filepath.Join(root, ".tools")); err != nil {
		t.Fatal(err)
	}
	// Some READMEs show a mistake with a fixture of cmd/tollgate's tests.
	cmdDir, _ := filepath.Abs("../../cmd")
	if err := os.Symlink(cmdDir, filepath.Join(root, "cmd")); err != nil {
		t.Fatal(err)
	}
	pairs := append([]string{
		"go run ./cmd/tollgate", "tollgate_run",
		"go run ../../cmd/tollgate", "tollgate_run",
		"go run ./examples/toolserver", buildToolServer(t),
	}, r.replace...)
	checkAddr := defaultCheckAddr
	for _, a := range r.addrs {
		free := harness.FreeAddr(t)
		pairs = append(pairs, a, free)
		if a == defaultCheckAddr {
			checkAddr = free
		}
	}
	rep := strings.NewReplacer(pairs...)
	replaceInTree(t, filepath.Join(root, "examples"), rep)
	readme, err := os.ReadFile(filepath.Join("../../examples", r.example, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	script := "set -euo pipefail\n"
	if r.keepGoing {
		script = "set -uo pipefail\n"
	}
	script += tollgateRun(checkAddr)
	var blocks []string
	for _, sec := range r.sections {
		blocks = append(blocks, shellBlocks(t, string(readme), sec)...)
	}
	if len(r.sections) == 0 {
		blocks = shellBlocks(t, string(readme), "")
	}
	for i, b := range blocks {
		if r.blocks != nil && !slices.Contains(r.blocks, i) {
			continue
		}
		if url, ok := r.background[i]; ok {
			b = "(\n" + b + ") &\nuntil curl -fs -o /dev/null " + url + "; do sleep 0.2; done\n"
		}
		script += rep.Replace(b)
	}
	script += "\nexit 0\n"
	return runScript(t, root, script, r.timeout)
}

// defaultCheckAddr is where `tollgate check` sends Checks
// without --addr.
const defaultCheckAddr = "127.0.0.1:9191"

// tollgateRun is the shell function that stands in for `go run
// ./cmd/tollgate`: it runs the test's binary, sends a check
// without --addr to checkAddr (where the default address was moved), and
// prints a non-zero exit status as `go run` does.
func tollgateRun(checkAddr string) string {
	return `tollgate_run() {
  if [[ $1 == check && " $* " != *" --addr "* ]]; then set -- "$1" --addr ` + checkAddr + ` "${@:2}"; fi
  "` + harness.Binary + `" "$@" || { rc=$?; echo "exit status $rc" >&2; return $rc; }
}
`
}

var fence = regexp.MustCompile("(?s)```sh\n(.*?)```")

// shellBlocks is the ```sh blocks of the README's section ("": all).
func shellBlocks(t *testing.T, readme, section string) []string {
	t.Helper()
	body := readme
	if section != "" {
		i := strings.Index(readme, "\n"+section+"\n")
		if i < 0 {
			t.Fatalf("README has no section %q", section)
		}
		body = readme[i+len(section)+2:]
		if j := strings.Index(body, "\n## "); j >= 0 {
			body = body[:j]
		}
	}
	var blocks []string
	for _, m := range fence.FindAllStringSubmatch(body, -1) {
		blocks = append(blocks, m[1])
	}
	if len(blocks) == 0 {
		t.Fatalf("README section %q has no sh block", section)
	}
	return blocks
}

// replaceInTree applies rep to every file under dir.
func replaceInTree(t *testing.T, dir string, rep *strings.Replacer) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(p, []byte(rep.Replace(string(data))), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// runScript runs script with bash in dir, in its own process group, which
// is killed (with everything the script left running) when the test ends.
func runScript(t *testing.T, dir, script string, timeout time.Duration) string {
	t.Helper()
	out := filepath.Join(dir, "readme.out")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, f, f
	// Programs that keep state under XDG directories (Caddy's autosave) keep it here.
	cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+filepath.Join(dir, "xdg-data"), "XDG_CONFIG_HOME="+filepath.Join(dir, "xdg-config"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopGroup(cmd.Process.Pid) })
	err = cmd.Wait()
	data, _ := os.ReadFile(out)
	if err != nil {
		t.Fatalf("the README's commands failed (%v):\n%s", err, data)
	}
	return string(data)
}

// stopGroup ends the process group pgid: SIGTERM, then SIGKILL.
func stopGroup(pgid int) {
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	for range 50 {
		if syscall.Kill(-pgid, 0) != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// buildToolServer builds examples/toolserver for the test.
func buildToolServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "toolserver")
	build := exec.Command("go", "build", "-o", bin, "github.com/tollgate-authz/tollgate/examples/toolserver")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the tool server: %v\n%s", err, out)
	}
	return bin
}

// requireTool skips the test when a real program is missing, or fails it
// under TOLLGATE_E2E_REQUIRE=1.
func requireTool(t *testing.T, name string) {
	t.Helper()
	tools, _ := filepath.Abs("../../.tools/bin")
	if _, err := os.Stat(filepath.Join(tools, name)); err == nil {
		return
	}
	if _, err := exec.LookPath(name); err == nil {
		return
	}
	if os.Getenv("TOLLGATE_E2E_REQUIRE") == "1" {
		t.Fatalf("%s not found (TOLLGATE_E2E_REQUIRE=1): run test/tools/install.sh", name)
	}
	t.Skipf("%s not found: run test/tools/install.sh", name)
}

// wantInOrder checks that out holds each of want, in this order.
func wantInOrder(t *testing.T, out string, want ...string) {
	t.Helper()
	rest := out
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("output lacks %q (in this order: %q):\n%s", w, want, out)
		}
		rest = rest[i+len(w):]
	}
}
