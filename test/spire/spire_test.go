package spire

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

const (
	// exampleDir holds the configs the tests start everything from.
	exampleDir = "../../examples/spire"
	// exampleRoot is the state directory the example configs name.
	exampleRoot = "/tmp/tollgate-spire"
	examplePort = `"8081"`
	agentID     = "spiffe://example.org/agent"
	frontendID  = "spiffe://example.org/ns/shop/sa/frontend"
)

// spire is a SPIRE server and agent on loopback, state under root.
type spire struct {
	t          *testing.T
	root       string
	serverBin  string
	agentBin   string
	serverSock string
	agentSock  string
	server     *proc
	agent      *proc
}

// spireBinaries finds spire-server and spire-agent (see findSPIRE), and
// fails or skips the test when they are missing (see requireComponent).
func spireBinaries(t *testing.T) (server, agent string) {
	t.Helper()
	tools, err := filepath.Abs(filepath.Join("..", "..", ".tools", "bin"))
	if err != nil {
		t.Fatal(err)
	}
	server, agent, err = findSPIRE(tools)
	requireComponent(t, err)
	return server, agent
}

// startSPIRE starts the server from examples/spire/server.conf, registers
// the example's entries with register.sh and starts the agent.
func startSPIRE(t *testing.T) *spire {
	t.Helper()
	s := startSPIREServer(t)
	s.startAgent(s.joinToken())
	return s
}

// startSPIREServer is startSPIRE without the agent: the caller may register
// more entries, or start something first, then call startAgent.
func startSPIREServer(t *testing.T) *spire {
	t.Helper()
	serverBin, agentBin := spireBinaries(t)
	// A short root: unix socket paths are limited to 108 bytes.
	root, err := os.MkdirTemp("", "tgsp")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	s := &spire{t: t, root: root, serverBin: serverBin, agentBin: agentBin,
		serverSock: filepath.Join(root, "server", "api.sock"), agentSock: filepath.Join(root, "agent", "api.sock")}
	port := freePort(t)
	for _, name := range []string{"server.conf", "agent.conf"} {
		s.template(name, port)
	}
	s.server = startProc(t, serverBin, "run", "-config", filepath.Join(root, "server.conf"))
	waitFor(t, "spire-server healthy", 60*time.Second, func() error {
		_, err := s.serverCmd("healthcheck")
		return err
	}, s.server)
	bundle, err := s.serverCmd("bundle", "show")
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, root, "bootstrap.pem", []byte(bundle))
	s.register()
	return s
}

// template copies an example config into root, pointing it at root and port.
func (s *spire) template(name, port string) {
	b, err := os.ReadFile(filepath.Join(exampleDir, name))
	if err != nil {
		s.t.Fatal(err)
	}
	text := string(b)
	if !strings.Contains(text, exampleRoot) || !strings.Contains(text, examplePort) {
		s.t.Fatalf("%s no longer names %s and port %s: update the test's template", name, exampleRoot, examplePort)
	}
	text = strings.NewReplacer(exampleRoot, s.root, examplePort, `"`+port+`"`).Replace(text)
	harness.WriteFile(s.t, s.root, name, []byte(text))
}

func (s *spire) serverCmd(args ...string) (string, error) {
	args = append(args, "-socketPath", s.serverSock)
	out, err := exec.Command(s.serverBin, args...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("spire-server %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func (s *spire) joinToken() string {
	out, err := s.serverCmd("token", "generate", "-spiffeID", agentID)
	if err != nil {
		s.t.Fatal(err)
	}
	tok, ok := strings.CutPrefix(strings.TrimSpace(out), "Token: ")
	if !ok {
		s.t.Fatalf("unexpected token output %q", out)
	}
	return tok
}

// register runs examples/spire/register.sh for this test's binaries.
func (s *spire) register() {
	cmd := exec.Command("bash", filepath.Join(exampleDir, "register.sh"))
	cmd.Env = append(os.Environ(), "TOLLGATE_SPIRE_ROOT="+s.root, "TOLLGATE_BIN="+harness.Binary,
		"WORKLOAD_BIN="+workloadBin, "SPIRE_SERVER="+s.serverBin)
	if out, err := cmd.CombinedOutput(); err != nil {
		s.t.Fatalf("register.sh: %v\n%s", err, out)
	}
}

// registerEntry adds an entry for the executable bin, the way register.sh
// does. Entries registered before startAgent are served from the agent's
// first sync.
func (s *spire) registerEntry(id, bin string) {
	if _, err := s.serverCmd("entry", "create", "-parentID", agentID, "-spiffeID", id, "-selector", "unix:path:"+bin); err != nil {
		s.t.Fatal(err)
	}
}

// startAgent starts the agent (attesting with token when it is not empty,
// else reusing the SVID it stored) and waits until it is healthy.
func (s *spire) startAgent(token string) {
	args := []string{"run", "-config", filepath.Join(s.root, "agent.conf")}
	if token != "" {
		args = append(args, "-joinToken", token)
	}
	s.agent = startProc(s.t, s.agentBin, args...)
	waitFor(s.t, "spire-agent healthy", 60*time.Second, func() error {
		out, err := exec.Command(s.agentBin, "healthcheck", "-socketPath", s.agentSock).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%w: %s", err, out)
		}
		return nil
	}, s.agent, s.server)
}

// restartAgent stops the agent; during() runs while it is down; then the
// agent starts again from its stored SVID.
func (s *spire) restartAgent(during func()) {
	s.agent.stop(s.t)
	during()
	s.startAgent("")
}

// socketURI is the Workload API address for Tollgate and the workload.
func (s *spire) socketURI() string { return "unix://" + s.agentSock }

func freePort(t *testing.T) string {
	t.Helper()
	_, port, err := net.SplitHostPort(harness.FreeAddr(t))
	if err != nil {
		t.Fatal(err)
	}
	return port
}
