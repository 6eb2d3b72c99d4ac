package spire

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// errSPIREMissing says how to get SPIRE when it is not installed.
var errSPIREMissing = errors.New("SPIRE v1.13.3 not found on PATH or in .tools/bin: run bash test/tools/install.sh spire")

// findSPIRE looks spire-server and spire-agent up on PATH, then in toolsDir
// (test/tools/install.sh builds them into the repository's .tools/bin).
func findSPIRE(toolsDir string) (server, agent string, err error) {
	find := func(name string) string {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		p := filepath.Join(toolsDir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p
		}
		return ""
	}
	server, agent = find("spire-server"), find("spire-agent")
	if server == "" || agent == "" {
		return "", "", fmt.Errorf("%w (spire-server %q, spire-agent %q)", errSPIREMissing, server, agent)
	}
	return server, agent, nil
}

// requireComponent does nothing when err is nil. Otherwise it fails tb
// under TOLLGATE_E2E_REQUIRE=1 (test/run.sh and .ci/run set it, so a
// missing component can never turn the suite green by skipping) and skips
// tb otherwise.
func requireComponent(tb testing.TB, err error) {
	tb.Helper()
	if err == nil {
		return
	}
	if os.Getenv("TOLLGATE_E2E_REQUIRE") == "1" {
		tb.Fatal(err, " (TOLLGATE_E2E_REQUIRE=1)")
	}
	tb.Skip(err)
}
