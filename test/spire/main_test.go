// Package spire runs Tollgate against a real SPIRE server and agent on
// loopback: a workload fetches its SVIDs from the agent and calls Tollgate
// with each carrier (source.certificate, XFCC, JWT-SVID), across SVID
// rotations and an agent restart; over an mTLS listener (listen.mtls) that
// refuses other callers in the handshake and survives a rotation of
// Tollgate's own SVID; and with the agent down at Tollgate's start. SPIRE, Tollgate and the workload are
// started from the configs in examples/spire, with only ports and paths
// changed, so the example cannot drift from what is tested.
package spire

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// workloadBin is the test workload (./workload), built by TestMain. SPIRE
// tells it apart from tollgate by its path (selector unix:path).
// intruderBin is a copy of it at another path: registered under another
// SPIFFE ID, it is a genuine SPIRE workload that listen.mtls must refuse.
var workloadBin, intruderBin string

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "tollgate-spire-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	workloadBin = filepath.Join(dir, "workload")
	build := exec.Command("go", "build", "-o", workloadBin, "./workload")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the workload:", err)
		return 1
	}
	intruderBin = filepath.Join(dir, "intruder")
	if err := copyExecutable(workloadBin, intruderBin); err != nil {
		fmt.Fprintln(os.Stderr, "copying the workload:", err)
		return 1
	}
	return harness.Main(m)
}

func copyExecutable(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o755)
}
