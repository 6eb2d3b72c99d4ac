package governance

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

const readme = "../../examples/governance/README.md"

// walkSection is the README section the walk-through test runs.
const walkSection = "## 6. The whole change, through a registry, to a fleet"

// shellBlock is one ```sh block of the README, under its heading.
type shellBlock struct {
	heading, script string
}

// shellBlocks returns the ```sh blocks of the README section that starts
// with the heading section and ends at the next "## " heading.
func shellBlocks(t *testing.T, text, section string) []shellBlock {
	t.Helper()
	start := strings.Index(text, "\n"+section+"\n")
	if start < 0 {
		t.Fatalf("%s has no section %q", readme, section)
	}
	body := text[start+1:]
	if end := strings.Index(body[len(section):], "\n## "); end >= 0 {
		body = body[:len(section)+end]
	}
	var blocks []shellBlock
	heading := section
	lines := strings.Split(body, "\n")
	for i := 0; i < len(lines); i++ {
		switch l := lines[i]; {
		case strings.HasPrefix(l, "#"):
			heading = l
		case l == "```sh":
			var b []string
			for i++; i < len(lines) && lines[i] != "```"; i++ {
				b = append(b, lines[i])
			}
			blocks = append(blocks, shellBlock{heading: heading, script: strings.Join(b, "\n") + "\n"})
		}
	}
	return blocks
}

// walkEnv is where the walk-through runs: a copy of examples/governance in
// a fresh tree, with the README's fixed ports, paths and tools replaced.
type walkEnv struct {
	root, fleet string
	replace     *strings.Replacer
	addr        map[string]string // README address -> test address
	pgids       []int
}

// newWalkEnv copies the example and rewrites its configs with the same
// replacements as the scripts.
func newWalkEnv(t *testing.T) *walkEnv {
	t.Helper()
	root := t.TempDir()
	w := &walkEnv{root: root, fleet: filepath.Join(root, "fleet"), addr: map[string]string{}}
	pairs := []string{"/tmp/tollgate-fleet", w.fleet, "/tmp/tollgate ", harness.Binary + " ",
		".tools/bin/registry", registryBinary(t)}
	for _, a := range []string{"127.0.0.1:5000", "127.0.0.1:9401", "127.0.0.1:9402", "127.0.0.1:9411", "127.0.0.1:9412"} {
		w.addr[a] = harness.FreeAddr(t)
		pairs = append(pairs, a, w.addr[a])
	}
	w.replace = strings.NewReplacer(pairs...)
	ex := filepath.Join(root, "examples", "governance")
	harness.CopyDir(t, "../../examples/governance", ex)
	_ = os.RemoveAll(filepath.Join(ex, "keys"))
	for _, f := range []string{"fleet-canary.yaml", "fleet-prod.yaml", "registry.yml"} {
		data, err := os.ReadFile(filepath.Join(ex, f))
		if err != nil {
			t.Fatal(err)
		}
		harness.WriteFile(t, ex, f, []byte(w.replace.Replace(string(data))))
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(w.logs())
		}
		w.stop()
	})
	return w
}

// skipped are README lines the test does instead: building the binary
// (harness.Main did) and installing the registry (test/tools/install.sh).
var skipped = regexp.MustCompile(`(?m)^(go build -o /tmp/tollgate |bash test/tools/install.sh registry).*$`)

// run runs one block as written (after the replacements) with bash -e.
func (w *walkEnv) run(t *testing.T, b shellBlock) string {
	t.Helper()
	script := w.replace.Replace(skipped.ReplaceAllString(b.script, ": skipped by the test"))
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = w.root
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.CombinedOutput()
	if cmd.Process != nil {
		w.pgids = append(w.pgids, cmd.Process.Pid)
	}
	if err != nil {
		t.Fatalf("%s: %v\n--- script\n%s--- output\n%s", b.heading, err, script, out)
	}
	return string(out)
}

// logs is the tail of the fleet's logs, for a failure message.
func (w *walkEnv) logs() string {
	var sb strings.Builder
	for _, f := range []string{"registry.log", "prod.log", "canary.log"} {
		data, _ := os.ReadFile(filepath.Join(w.fleet, f))
		if len(data) > 3000 {
			data = data[len(data)-3000:]
		}
		sb.WriteString("--- " + f + "\n" + string(data))
	}
	return sb.String()
}

// stop ends whatever the blocks left running (each block is its own
// process group, and its background jobs stay in it).
func (w *walkEnv) stop() {
	for _, pg := range w.pgids {
		_ = syscall.Kill(-pg, syscall.SIGTERM)
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, pg := range w.pgids {
		for syscall.Kill(-pg, 0) == nil && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
	}
}
