// Package harness starts the real tollgate binary for end-to-end tests and
// talks to it the way Envoy does: envoy.service.auth.v3 CheckRequests over
// gRPC. Each end-to-end suite under test/ uses it from its own package.
package harness

import (
	"bytes"
	"context"
	"fmt"
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

// Binary is the tollgate binary built by Main.
var Binary string

// Main builds the tollgate binary, runs the tests and cleans up. Call it
// from TestMain: os.Exit(harness.Main(m)).
func Main(m *testing.M) int {
	dir, err := os.MkdirTemp("", "tollgate-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	Binary = filepath.Join(dir, "tollgate")
	build := exec.Command("go", "build", "-tags", "vtprotobuf", "-o", Binary, "github.com/tollgate-authz/tollgate/cmd/tollgate")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building tollgate:", err)
		return 1
	}
	return m.Run()
}

// SyncBuffer is a goroutine-safe output capture.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// proc is a running tollgate.
type Proc struct {
	t         *testing.T
	Cmd       *exec.Cmd
	Dir       string
	GRPCAddr  string
	AdminAddr string
	Stdout    *SyncBuffer // decision log
	Stderr    *SyncBuffer // operational log
	Exited    chan struct{}
	ExitErr   error
	conn      *grpc.ClientConn
}

// writeFile writes a file under dir, creating parents.
func WriteFile(t *testing.T, dir, name string, data []byte) string {
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
func CopyDir(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			CopyDir(t, filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()))
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		WriteFile(t, dst, e.Name(), b)
	}
}

// Start writes config (with {{GRPC}} and {{ADMIN}} replaced by free
// addresses) into dir and starts the binary. It does not wait for readiness.
func Start(t *testing.T, dir, config string) *Proc {
	t.Helper()
	p := &Proc{t: t, Dir: dir, GRPCAddr: FreeAddr(t), AdminAddr: FreeAddr(t),
		Stdout: &SyncBuffer{}, Stderr: &SyncBuffer{}, Exited: make(chan struct{})}
	config = strings.NewReplacer("{{GRPC}}", p.GRPCAddr, "{{ADMIN}}", p.AdminAddr).Replace(config)
	cfgPath := WriteFile(t, dir, "tollgate.yaml", []byte(config))
	p.Cmd = exec.Command(Binary, "serve", "--config", cfgPath)
	p.Cmd.Stdout, p.Cmd.Stderr = p.Stdout, p.Stderr
	if err := p.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.ExitErr = p.Cmd.Wait(); close(p.Exited) }()
	t.Cleanup(func() {
		if p.conn != nil {
			p.conn.Close()
		}
		_ = p.Cmd.Process.Kill()
		<-p.Exited
		if t.Failed() {
			t.Logf("tollgate stderr:\n%s", p.Stderr.String())
		}
	})
	return p
}

// waitReady polls /readyz until it answers 200.
func (p *Proc) WaitReady() {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.Exited:
			p.t.Fatalf("tollgate exited before ready: %v\n%s", p.ExitErr, p.Stderr.String())
		default:
		}
		resp, err := http.Get("http://" + p.AdminAddr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("tollgate not ready after 30s\n%s", p.Stderr.String())
}

// client returns a gRPC ext_authz client connected to the process.
func (p *Proc) Client() authv3.AuthorizationClient {
	p.t.Helper()
	if p.conn == nil {
		conn, err := grpc.NewClient(p.GRPCAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			p.t.Fatal(err)
		}
		p.conn = conn
	}
	return authv3.NewAuthorizationClient(p.conn)
}

func (p *Proc) Check(req *authv3.CheckRequest) *authv3.CheckResponse {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := p.Client().Check(ctx, req)
	if err != nil {
		p.t.Fatalf("Check: %v", err)
	}
	return resp
}

// signal sends sig and waits for the process to exit.
func (p *Proc) Stop(sig syscall.Signal) error {
	_ = p.Cmd.Process.Signal(sig)
	select {
	case <-p.Exited:
		return p.ExitErr
	case <-time.After(30 * time.Second):
		p.t.Fatal("tollgate did not exit within 30s")
		return nil
	}
}

// metrics fetches /metrics.
func (p *Proc) Metrics() string {
	p.t.Helper()
	resp, err := http.Get("http://" + p.AdminAddr + "/metrics")
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return b.String()
}
