package e2e

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// Tollgate can listen on a unix socket; gRPC health reports SERVING for the
// ext_authz service once policies are loaded.
func TestUnixSocketListenerAndHealth(t *testing.T) {
	dir := t.TempDir()
	testcaBundle(t, dir)
	harness.CopyDir(t, "testdata/policies", filepath.Join(dir, "policies"))
	b, err := os.ReadFile("testdata/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "manifest.yaml", b)
	sock := filepath.Join(dir, "tollgate.sock")
	p := harness.Start(t, dir, strings.Replace(coreConfig, `grpc: "{{GRPC}}"`, `grpc: "unix://`+sock+`"`, 1))
	p.WaitReady()

	conn, err := grpc.NewClient("unix:"+sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	hc := healthpb.NewHealthClient(conn)
	var st healthpb.HealthCheckResponse_ServingStatus
	for ctx.Err() == nil {
		resp, err := hc.Check(ctx, &healthpb.HealthCheckRequest{Service: "envoy.service.auth.v3.Authorization"})
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			st = resp.GetStatus()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if st != healthpb.HealthCheckResponse_SERVING {
		t.Fatal("gRPC health never reported SERVING")
	}
	out, err := exec.Command(harness.Binary, "check", "--addr", "unix://"+sock, "--path", "/public/status").CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 || !strings.Contains(string(out), "DENY 401") {
		t.Fatalf("check over the unix socket without identity: err=%v\n%s", err, out)
	}
}
