package harness

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// Ports handed out by FreeAddr in this process, each with the file whose
// lock reserves it against the other test processes (go test runs the
// packages in parallel). The lock is released when the process exits,
// whatever way it ends.
var handedOut sync.Map // port -> *os.File

// Below the kernel's ephemeral range (ip_local_port_range, 32768-60999 by
// default): the kernel never picks these for an outgoing connection or a
// bind to port 0, and the lock keeps other test processes off them, so a
// port found free here stays free until the program under test binds it.
// ListenerOwnedBy catches anything else that takes it.
const portLow, portHigh = 20000, 32000

// FreeAddr returns a loopback address that was free a moment ago and that
// no other call, in this process or another test process, holds.
func FreeAddr(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(os.TempDir(), "tollgate-test-ports")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for range 500 {
		port := portLow + rand.IntN(portHigh-portLow)
		if _, taken := handedOut.Load(port); taken {
			continue
		}
		lock, ok := reserve(dir, port)
		if !ok {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			lock.Close()
			continue
		}
		addr := l.Addr().String()
		l.Close()
		handedOut.Store(port, lock)
		return addr
	}
	t.Fatal("no free loopback port found in 500 tries")
	return ""
}

// reserve takes an exclusive, non-blocking lock on dir/<port>; another test
// process holding it means the port is taken.
func reserve(dir string, port int) (*os.File, bool) {
	f, err := os.OpenFile(filepath.Join(dir, strconv.Itoa(port)), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false
	}
	return f, true
}

// ListenerOwnedBy reports whether the TCP socket listening on addr (a
// 127.0.0.1 address) is held by process pid. A test that started a program
// on a port that was free a moment ago uses it to be sure that it talks to
// that program, not to whatever else took the port in between.
func ListenerOwnedBy(pid int, addr string) (bool, error) {
	inode, err := listenInode(addr)
	if err != nil || inode == "" {
		return false, err
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return false, err
	}
	want := "socket:[" + inode + "]"
	for _, fd := range fds {
		if link, err := os.Readlink(filepath.Join(fmt.Sprintf("/proc/%d/fd", pid), fd.Name())); err == nil && link == want {
			return true, nil
		}
	}
	return false, nil
}

// listenInode finds the inode of the socket in state LISTEN on addr in
// /proc/net/tcp, or "" when there is none.
func listenInode(addr string) (string, error) {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return "", err
	}
	// 127.0.0.1 (little-endian), or a wildcard listener, which also
	// receives connections to 127.0.0.1 when nothing more specific listens.
	for _, table := range []struct{ path, local, wildcard string }{
		{"/proc/net/tcp", "0100007F", "00000000"},
		{"/proc/net/tcp6", "0000000000000000FFFF00000100007F", "00000000000000000000000000000000"},
	} {
		inode, err := scanListen(table.path, fmt.Sprintf(":%04X", port), table.local, table.wildcard)
		if inode != "" || err != nil {
			return inode, err
		}
	}
	return "", nil
}

// scanListen returns the inode of a LISTEN socket in a /proc/net/tcp{,6}
// table whose local address is local or wildcard with the port suffix.
func scanListen(path, port, local, wildcard string) (string, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 9 && fields[3] == "0A" && (fields[1] == local+port || fields[1] == wildcard+port) {
			return fields[9], nil
		}
	}
	return "", sc.Err()
}
