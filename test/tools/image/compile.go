package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// compile cross-compiles a static tollgate for linux/arch into dir, with
// the version stamped the way cmd/tollgate/version.go reads it. VCS
// stamping is off: the flags carry it, and Go cannot stamp a worktree.
func compile(o options, dir, arch string) (string, error) {
	bin := filepath.Join(dir, "tollgate-linux-"+arch)
	ldflags := strings.Join([]string{
		"-s", "-w",
		"-X", "main.version=" + o.version,
		"-X", "main.revision=" + o.revision,
		"-X", "main.modified=" + o.modified,
	}, " ")
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags", ldflags, "-o", bin, "./cmd/tollgate")
	cmd.Dir = o.repo
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build linux/%s: %w\n%s", arch, err, out)
	}
	return bin, nil
}
