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
	held := map[int]bool{}
	for p := portLow; len(held) < 50; p++ {
		// A child process takes the locks, as a parallel test package would
		// (not of ports this process already handed out: it holds those).
		if _, mine := handedOut.Load(p); !mine {
			held[p] = true
		}
	}
	args := []string{"-c", `for p in "$@"; do exec {fd}>"$0/$p"; flock -n "$fd" || exit 1; done; echo locked; sleep 30`, dir}
	for p := range held {
		args = append(args, strconv.Itoa(p))
	}
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
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "locked\n" {
		t.Fatalf("the child could not take the locks: %q", line)
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
