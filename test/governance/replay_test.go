package governance

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// runTool runs the real binary and returns its exit code and output.
func runTool(t *testing.T, args ...string) (int, string) {
	t.Helper()
	out, err := exec.Command(harness.Binary, args...).CombinedOutput()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), string(out)
	case err != nil:
		t.Fatal(err)
	}
	return 0, string(out)
}

// TestReplayAndReport: the decision log a real serve wrote is replayed
// against a candidate that lets the analyst read orders, and the one
// decision that changes is named (exit 3); the access review of the same
// log against the candidate lists the new permit as unused, held by the
// analyst.
func TestReplayAndReport(t *testing.T) {
	dir := t.TempDir()
	p := harness.Start(t, dir, dirConfig(t, dir, policyDir(t, readPolicy), ""))
	p.WaitReady()
	if v := readOrder(p, frontend); !v.Allow {
		t.Fatalf("frontend: %+v", v)
	}
	if v := readOrder(p, analyst); v.Allow {
		t.Fatalf("analyst: %+v", v)
	}
	testutil.Eventually(t, "two decision lines", func() bool { return strings.Count(p.Stdout.String(), `"msg":"decision"`) == 2 })
	if err := p.Stop(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "decisions.log")
	if err := os.WriteFile(log, []byte(p.Stdout.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	candidate := policyDir(t, candidateReads)

	code, out := runTool(t, "replay", "--policies", candidate, log)
	if code != 3 || !strings.Contains(out, "2 decisions: 1 unchanged, 1 would change, 0 could not be replayed") ||
		!strings.Contains(out, "Action::\"ReadOrder\"\n  deny -> allow by [analyst-reads] (permit): 1") || !strings.Contains(out, analyst) {
		t.Fatalf("replay: exit %d\n%s", code, out)
	}
	if code, out := runTool(t, "replay", "--policies", policyDir(t, readPolicy), log); code != 0 {
		t.Fatalf("replay against the same policies: exit %d\n%s", code, out)
	}
	code, out = runTool(t, "report", "--since", "1h", "--policies", candidate, "--output", "json", log)
	if code != 0 || !strings.Contains(out, `"policy": "analyst-reads"`) ||
		!strings.Contains(out, `"principal": "`+analyst+`",`+"\n      \"policies\": [\n        \"analyst-reads\"") {
		t.Fatalf("report: exit %d\n%s", code, out)
	}
	if code, out := runTool(t, "replay", "--policies", candidate, filepath.Join(dir, "tollgate.yaml")); code != 1 || !strings.Contains(out, "tollgate.yaml:1: not a JSON object") {
		t.Fatalf("replay of a non-log: exit %d\n%s", code, out)
	}
}
