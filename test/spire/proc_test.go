package spire

import (
	"fmt"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// proc is a background process (spire-server, spire-agent) whose output is
// kept for the failure log.
type proc struct {
	name   string
	cmd    *exec.Cmd
	out    *harness.SyncBuffer
	exited chan struct{}
	err    error
}

func startProc(t *testing.T, name string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, cmd: exec.Command(name, args...), out: &harness.SyncBuffer{}, exited: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.stop(t)
		if t.Failed() {
			t.Logf("%s output:\n%s", name, p.out.String())
		}
	})
	return p
}

// stop asks the process to exit, then kills it if it has not within 15s.
// It is idempotent.
func (p *proc) stop(t *testing.T) {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		t.Logf("%s ignored SIGTERM for 15s; killing it", p.name)
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

func (p *proc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// waitFor polls cond until it returns nil, failing the test after timeout or
// as soon as one of procs has exited. what names the wait in the failure.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() error, procs ...*proc) {
	t.Helper()
	testutil.Poll(t, what, timeout, 200*time.Millisecond, cond, func() error {
		for _, p := range procs {
			if !p.running() {
				return fmt.Errorf("%s exited: %w\n%s", p.name, p.err, p.out.String())
			}
		}
		return nil
	})
}
