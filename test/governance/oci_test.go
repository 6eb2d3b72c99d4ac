package governance

import (
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// ociConfig is bundleConfig fetching ref from a registry instead.
func ociConfig(t *testing.T, dir, ref string, key signer) string {
	cfg := bundleConfig(t, dir, "REGISTRY", key.pubFile, filepath.Join(dir, "cache"), "1h", "deny")
	return strings.Replace(cfg, "url: REGISTRY/bundle.tar.gz", "url: "+ref, 1)
}

// cliPush publishes with `tollgate bundle push`, as IAM would.
func cliPush(t *testing.T, dir string, key signer, ref string, archive, sig []byte) {
	t.Helper()
	path := harness.WriteFile(t, dir, "push.tar.gz", archive)
	harness.WriteFile(t, dir, "push.tar.gz.sig", sig)
	out, err := exec.Command(harness.Binary, "bundle", "push", path, "--pub", key.pubFile, "--allow-insecure-http", ref).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "manifest sha256:") {
		t.Fatalf("bundle push: %v\n%s", err, out)
	}
}

func fetchCount(p *harness.Proc, result string) float64 {
	return testutil.TextValue(p.Metrics(), `tollgate_bundle_fetch_total{result="`+result+`"}`)
}

// TestOCIBundleLifecycle, against a real registry: a pushed bundle is
// fetched and verified; an unchanged tag costs no download; a moved tag is
// reloaded; a pair whose signature does not match, or an older signed
// bundle, is refused and the last good version stays, also across a
// restart with the registry gone.
func TestOCIBundleLifecycle(t *testing.T) {
	reg := startRegistry(t, harness.FreeAddr(t))
	dir := t.TempDir()
	key, other := newSigner(t, dir, "iam.pub"), newSigner(t, dir, "other.pub")
	ref := reg.ref("iam/orders:prod")
	a1, s1 := signedBundle(t, key, "o1", readPolicy)
	cliPush(t, dir, key, ref, a1, s1)
	cfg := ociConfig(t, dir, ref, key)
	p := harness.Start(t, dir, cfg)
	p.WaitReady()
	if v := readOrder(p, frontend); !v.Allow || v.Version != "o1" {
		t.Fatalf("o1: %+v", v)
	}
	testutil.Eventually(t, "an unchanged tag polled as not_modified", func() bool { return fetchCount(p, "not_modified") > 1 })

	withAnalyst := readPolicy + "\n" + `@id("analyst-reads") permit (principal == Workload::"` + analyst + `", action, resource);`
	a2, s2 := signedBundle(t, key, "o2", withAnalyst)
	cliPush(t, dir, key, ref, a2, s2)
	testutil.Eventually(t, "the moved tag reloaded", func() bool { return readOrder(p, analyst).Version == "o2" })

	refused := []struct {
		name, result string
		pair         func() ([]byte, []byte)
	}{
		{"signature of another archive", "error_signature", func() ([]byte, []byte) {
			a, _ := signedBundle(t, key, "o3", readPolicy)
			return a, s2
		}},
		{"signed by an untrusted key", "error_signature", func() ([]byte, []byte) { return signedBundle(t, other, "o4", readPolicy) }},
		{"rollback to the older o1", "error_rollback", func() ([]byte, []byte) { return a1, s1 }},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			before := fetchCount(p, tt.result)
			a, s := tt.pair()
			reg.pushPair(t, "iam/orders:prod", a, s)
			testutil.Eventually(t, tt.result+" counted", func() bool { return fetchCount(p, tt.result) > before })
			if v := readOrder(p, analyst); !v.Allow || v.Version != "o2" {
				t.Fatalf("after %s: %+v, want o2 still in force", tt.name, v)
			}
		})
	}

	// Registry gone: a restart serves the verified last-known-good.
	if err := p.Stop(syscall.SIGTERM); err != nil {
		t.Fatalf("stop: %v", err)
	}
	reg.stop()
	again := harness.Start(t, dir, cfg)
	again.WaitReady()
	if v := readOrder(again, analyst); !v.Allow || v.Version != "o2" {
		t.Fatalf("restart with the registry down: %+v, want o2 from the last-known-good", v)
	}
}

// TestOCIRegistryLateAtStart: with no last-known-good, serve retries a
// registry that is not up yet until start_timeout, and becomes ready once
// a signed bundle can be pulled; a registry that never comes up ends serve
// with a clear error after start_timeout.
func TestOCIRegistryLateAtStart(t *testing.T) {
	dir := t.TempDir()
	key := newSigner(t, dir, "iam.pub")
	addr := harness.FreeAddr(t)
	ref := "oci://" + addr + "/iam/orders:prod"
	p := harness.Start(t, dir, withStartTimeout(ociConfig(t, dir, ref, key), "30s"))
	time.Sleep(1500 * time.Millisecond)
	select {
	case <-p.Exited:
		t.Fatalf("serve exited while the registry was still coming up: %v\n%s", p.ExitErr, p.Stderr.String())
	default:
	}
	reg := startRegistry(t, addr)
	a, s := signedBundle(t, key, "late-oci", readPolicy)
	reg.pushPair(t, "iam/orders:prod", a, s)
	p.WaitReady()
	if v := readOrder(p, frontend); !v.Allow || v.Version != "late-oci" {
		t.Fatalf("late bundle not served: %+v", v)
	}

	never := t.TempDir()
	start := time.Now()
	q := harness.Start(t, never, withStartTimeout(ociConfig(t, never, "oci://"+harness.FreeAddr(t)+"/iam/orders:prod", key), "1500ms"))
	<-q.Exited
	if q.ExitErr == nil || !strings.Contains(q.Stderr.String(), "no usable bundle") {
		t.Fatalf("exit %v, stderr:\n%s", q.ExitErr, q.Stderr.String())
	}
	if time.Since(start) < time.Second {
		t.Fatalf("gave up after %s, before start_timeout", time.Since(start))
	}
}
