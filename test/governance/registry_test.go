package governance

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/policy/bundle/oci"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// registryBinary finds CNCF distribution's registry, installed by
// test/tools/install.sh into .tools/bin.
func registryBinary(t *testing.T) string {
	t.Helper()
	if p, err := filepath.Abs(filepath.Join("..", "..", ".tools", "bin", "registry")); err == nil {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("registry"); err == nil {
		return p
	}
	if os.Getenv("TOLLGATE_E2E_REQUIRE") == "1" {
		t.Fatal("registry (CNCF distribution) not found (TOLLGATE_E2E_REQUIRE=1): run test/tools/install.sh registry")
	}
	t.Skip("registry (CNCF distribution) not found: run test/tools/install.sh registry")
	return ""
}

// ociRegistry is a real registry process on loopback, storing in dir.
type ociRegistry struct {
	addr   string
	cmd    *exec.Cmd
	log    harness.SyncBuffer
	exited chan struct{}
}

// startRegistry runs the registry on addr and waits until it answers.
func startRegistry(t *testing.T, addr string) *ociRegistry {
	t.Helper()
	bin := registryBinary(t)
	dir := t.TempDir()
	cfg := "version: 0.1\nlog: { level: warn }\nstorage: { filesystem: { rootdirectory: " + filepath.Join(dir, "data") +
		" } }\nhttp: { addr: '" + addr + "', secret: e2e-only }\n"
	path := harness.WriteFile(t, dir, "config.yml", []byte(cfg))
	r := &ociRegistry{addr: addr, exited: make(chan struct{})}
	r.cmd = exec.Command(bin, "serve", path)
	r.cmd.Env = append(os.Environ(), "OTEL_TRACES_EXPORTER=none")
	r.cmd.Stdout, r.cmd.Stderr = &r.log, &r.log
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = r.cmd.Wait(); close(r.exited) }()
	t.Cleanup(r.stop)
	testutil.Poll(t, "the registry to answer", 20*time.Second, 50*time.Millisecond, func() error {
		resp, err := http.Get("http://" + addr + "/v2/")
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		return nil
	}, func() error {
		select {
		case <-r.exited:
			t.Fatalf("registry exited:\n%s", r.log.String())
		default:
		}
		return nil
	})
	return r
}

// stop ends the registry and waits for it; it is idempotent.
func (r *ociRegistry) stop() {
	select {
	case <-r.exited:
		return
	default:
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	<-r.exited
}

// ref is an oci:// reference to repository:tag in this registry.
func (r *ociRegistry) ref(repoTag string) string { return "oci://" + r.addr + "/" + repoTag }

// pushPair pushes archive and sig as they are, unchecked: what a
// compromised publisher or registry could serve.
func (r *ociRegistry) pushPair(t *testing.T, repoTag string, archive, sig []byte) {
	t.Helper()
	if _, err := oci.Push(context.Background(), r.ref(repoTag), archive, sig,
		oci.Options{AllowInsecureHTTP: true, Keychain: authn.NewMultiKeychain()}); err != nil {
		t.Fatalf("push: %v\n%s", err, r.log.String())
	}
}
