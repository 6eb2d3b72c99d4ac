// Package e2e starts the real tollgate binary and talks to it the way Envoy
// does: envoy.service.auth.v3 CheckRequests over gRPC.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// binary is the tollgate binary built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tollgate-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "tollgate")
	build := exec.Command("go", "build", "-o", binary, "../../cmd/tollgate")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building tollgate:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer is a goroutine-safe output capture.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// proc is a running tollgate.
type proc struct {
	t         *testing.T
	cmd       *exec.Cmd
	dir       string
	grpcAddr  string
	adminAddr string
	stdout    *syncBuffer // decision log
	stderr    *syncBuffer // operational log
	exited    chan struct{}
	exitErr   error
	conn      *grpc.ClientConn
}

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// writeFile writes a file under dir, creating parents.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// copyDir copies the files of src into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			copyDir(t, filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()))
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dst, e.Name(), b)
	}
}

// startTollgate writes config (with {{GRPC}} and {{ADMIN}} replaced by free
// addresses) into dir and starts the binary. It does not wait for readiness.
func startTollgate(t *testing.T, dir, config string) *proc {
	t.Helper()
	p := &proc{t: t, dir: dir, grpcAddr: freeAddr(t), adminAddr: freeAddr(t),
		stdout: &syncBuffer{}, stderr: &syncBuffer{}, exited: make(chan struct{})}
	config = strings.NewReplacer("{{GRPC}}", p.grpcAddr, "{{ADMIN}}", p.adminAddr).Replace(config)
	cfgPath := writeFile(t, dir, "tollgate.yaml", []byte(config))
	p.cmd = exec.Command(binary, "serve", "--config", cfgPath)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exitErr = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		if p.conn != nil {
			p.conn.Close()
		}
		_ = p.cmd.Process.Kill()
		<-p.exited
		if t.Failed() {
			t.Logf("tollgate stderr:\n%s", p.stderr.String())
		}
	})
	return p
}

// waitReady polls /readyz until it answers 200.
func (p *proc) waitReady() {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.exited:
			p.t.Fatalf("tollgate exited before ready: %v\n%s", p.exitErr, p.stderr.String())
		default:
		}
		resp, err := http.Get("http://" + p.adminAddr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("tollgate not ready after 30s\n%s", p.stderr.String())
}

// client returns a gRPC ext_authz client connected to the process.
func (p *proc) client() authv3.AuthorizationClient {
	p.t.Helper()
	if p.conn == nil {
		conn, err := grpc.NewClient(p.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			p.t.Fatal(err)
		}
		p.conn = conn
	}
	return authv3.NewAuthorizationClient(p.conn)
}

func (p *proc) check(req *authv3.CheckRequest) *authv3.CheckResponse {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := p.client().Check(ctx, req)
	if err != nil {
		p.t.Fatalf("Check: %v", err)
	}
	return resp
}

// signal sends sig and waits for the process to exit.
func (p *proc) stop(sig syscall.Signal) error {
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
		return p.exitErr
	case <-time.After(30 * time.Second):
		p.t.Fatal("tollgate did not exit within 30s")
		return nil
	}
}

// metrics fetches /metrics.
func (p *proc) metrics() string {
	p.t.Helper()
	resp, err := http.Get("http://" + p.adminAddr + "/metrics")
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return b.String()
}
