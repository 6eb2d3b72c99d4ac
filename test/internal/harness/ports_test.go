package harness

import (
	"net"
	"os"
	"os/exec"
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
