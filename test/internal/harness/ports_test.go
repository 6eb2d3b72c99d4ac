package harness

import (
	"bufio"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestFreeAddrNeverRepeats(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		a := FreeAddr(t)
		if seen[a] {
			t.Fatalf("FreeAddr returned %s twice", a)
		}
		seen[a] = true
	}
}

func TestListenerOwnedBy(t *testing.T) {
	addr := FreeAddr(t)
	if owned, err := ListenerOwnedBy(os.Getpid(), addr); err != nil || owned {
		t.Fatalf("nothing listens on %s yet: owned=%v err=%v", addr, owned, err)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if owned, err := ListenerOwnedBy(os.Getpid(), addr); err != nil || !owned {
		t.Fatalf("this process listens on %s: owned=%v err=%v", addr, owned, err)
	}
	other := exec.Command("sleep", "30")
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Process.Kill(); _ = other.Wait() }()
	if owned, err := ListenerOwnedBy(other.Process.Pid, addr); err != nil || owned {
		t.Fatalf("another process does not hold %s: owned=%v err=%v", addr, owned, err)
	}
}

// Another test process holding a port's lock keeps FreeAddr off it.
func TestFreeAddrSkipsPortsLockedElsewhere(t *testing.T) {
	dir := filepath.Join(os.TempDir(), "tollgate-test-ports")
	var ports []string
	for p := portLow; len(ports) < 50; p++ {
		// A child process takes the locks, as a parallel test package would
		// (not of ports this process already handed out: it holds those).
		if _, mine := handedOut.Load(p); !mine {
			ports = append(ports, strconv.Itoa(p))
		}
	}
	// The child prints each port it locked: a test package running in
	// parallel may hold some of them already, which is just as good.
	args := append([]string{"-c", `for p in "$@"; do exec {fd}>"$0/$p"; flock -n "$fd" && echo "$p"; done; echo locked; sleep 30`, dir}, ports...)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	child := exec.Command("bash", args...)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	held := map[int]bool{}
	for r := bufio.NewReader(out); ; {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("the child stopped before locking: %v", err)
		}
		if line == "locked\n" {
			break
		}
		n, _ := strconv.Atoi(strings.TrimSpace(line))
		held[n] = true
	}
	if len(held) < 10 {
		t.Fatalf("the child could lock only %d of %d ports", len(held), len(ports))
	}
	for range 300 {
		_, port, _ := net.SplitHostPort(FreeAddr(t))
		n, _ := strconv.Atoi(port)
		if held[n] {
			t.Fatalf("FreeAddr returned %d, locked by another process", n)
		}
	}
	if _, ok := reserve(dir, slices.Min(slices.Collect(maps.Keys(held)))); ok {
		t.Fatal("reserve took a lock another process holds")
	}
}
