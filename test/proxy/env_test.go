package proxy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

const (
	examples   = "../../examples/"
	agentID    = "spiffe://example.org/ns/agents/sa/research-agent"
	agentPath  = "/ns/agents/sa/research-agent"
	jwtAud     = "agent-tools"
	exampleTG  = "127.0.0.1:9193" // Tollgate's HTTP mode in the example configs
	exampleMCP = "127.0.0.1:9300" // the tool server in the example configs
)

// env is Tollgate (HTTP mode of one style), the tool server and a proxy.
type env struct {
	tg        *harness.Proc
	tools     *toolServer
	ca        *testca.CA
	httpAddr  string // Tollgate's HTTP mode
	proxyAddr string
	dir       string
}

// startEnv runs examples/<style>/tollgate.yaml with the examples/mcp
// manifest and policies, a test CA in place of the example bundle, and the
// tool server. The proxy is started by the caller.
func startEnv(t *testing.T, style string) *env { return startEnvWith(t, style, nil) }

// startEnvWith is startEnv with a hook that may replace the copied
// examples/mcp manifest and policies (in mcpDir) before Tollgate starts.
func startEnvWith(t *testing.T, style string, setup func(t *testing.T, mcpDir string)) *env {
	t.Helper()
	root := t.TempDir()
	e := &env{ca: testca.New(t, "example.org"), httpAddr: harness.FreeAddr(t), proxyAddr: harness.FreeAddr(t),
		dir: filepath.Join(root, style)}
	harness.CopyDir(t, examples+"mcp", filepath.Join(root, "mcp"))
	if setup != nil {
		setup(t, filepath.Join(root, "mcp"))
	}
	harness.WriteFile(t, root, "mcp/bundle.pem", e.ca.X509BundlePEM())
	harness.WriteFile(t, e.dir, "jwks.json", e.ca.JWKS())
	cfg := strings.NewReplacer("127.0.0.1:9191", "{{GRPC}}", "127.0.0.1:9192", "{{ADMIN}}",
		exampleTG, e.httpAddr).Replace(readFile(t, examples+style+"/tollgate.yaml"))
	e.tg = harness.Start(t, e.dir, cfg)
	e.tg.WaitReady()
	e.tools = startToolServer(t, harness.FreeAddr(t))
	return e
}

// proxyConfig is an example proxy config with only its ports replaced.
func (e *env) proxyConfig(t *testing.T, path, exampleListen string) string {
	t.Helper()
	return strings.NewReplacer(exampleListen, e.proxyAddr, exampleTG, e.httpAddr, exampleMCP, e.tools.addr).
		Replace(readFile(t, path))
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// findTool returns the path of a real component, or skips (fails under
// TOLLGATE_E2E_REQUIRE=1) when it is missing.
func findTool(t *testing.T, name string, candidates ...string) string {
	t.Helper()
	for _, c := range candidates {
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() {
			return c
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if os.Getenv("TOLLGATE_E2E_REQUIRE") == "1" {
		t.Fatalf("%s not found (TOLLGATE_E2E_REQUIRE=1): run test/tools/install.sh", name)
	}
	t.Skipf("%s not found: run test/tools/install.sh", name)
	return ""
}

// runProxy starts a proxy process and waits until it listens on addr. It
// reports false (and stops the process) when the process exits first, for
// example because something else took the port after it was picked.
func runProxy(t *testing.T, cmd *exec.Cmd, addr, logPath string) bool {
	t.Helper()
	out := &harness.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	// Its own process group, so that nginx's workers are stopped with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		if t.Failed() {
			log, _ := os.ReadFile(logPath)
			t.Logf("%s output:\n%s\n%s", filepath.Base(cmd.Path), out.String(), log)
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			log, _ := os.ReadFile(logPath)
			t.Logf("%s exited before listening on %s:\n%s\n%s", cmd.Path, addr, out.String(), log)
			return false
		default:
		}
		// The port was free when it was picked; make sure the listener on it
		// now is this process's, not another test's.
		if owned, err := harness.ListenerOwnedBy(cmd.Process.Pid, addr); err != nil {
			t.Fatal(err)
		} else if owned {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s not listening on %s after 30s", cmd.Path, addr)
	return false
}

// startProxy runs a proxy built by mk for e.proxyAddr, picking a new port
// and trying again when the process could not listen on the one picked.
func startProxy(t *testing.T, e *env, mk func() (cmd *exec.Cmd, logPath string)) {
	t.Helper()
	for range 3 {
		cmd, logPath := mk()
		if runProxy(t, cmd, e.proxyAddr, logPath) {
			return
		}
		e.proxyAddr = harness.FreeAddr(t)
	}
	t.Fatal("the proxy did not start on three ports in a row")
}

func startNginx(t *testing.T, e *env) {
	t.Helper()
	bin := findTool(t, "nginx", "/usr/sbin/nginx")
	dir := filepath.Join(e.dir, "nginx")
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	startProxy(t, e, func() (*exec.Cmd, string) {
		harness.WriteFile(t, dir, "nginx.conf", []byte(e.proxyConfig(t, examples+"nginx/nginx.conf", "127.0.0.1:8081")))
		return exec.Command(bin, "-p", dir+"/", "-c", "nginx.conf", "-e", "error.log", "-g", "daemon off;"), filepath.Join(dir, "error.log")
	})
}

func startCaddy(t *testing.T, e *env) {
	t.Helper()
	bin := findTool(t, "caddy", "../../.tools/bin/caddy")
	dir := filepath.Join(e.dir, "caddy")
	startProxy(t, e, func() (*exec.Cmd, string) {
		conf := harness.WriteFile(t, dir, "Caddyfile", []byte(e.proxyConfig(t, examples+"caddy/Caddyfile", "127.0.0.1:8082")))
		cmd := exec.Command(bin, "run", "--config", conf, "--adapter", "caddyfile")
		cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir+"/data", "XDG_CONFIG_HOME="+dir+"/config")
		return cmd, ""
	})
}
