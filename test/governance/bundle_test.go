package governance

import (
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

func readyStatus(t *testing.T, p *harness.Proc) int {
	resp, err := http.Get("http://" + p.AdminAddr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func readOrder(p *harness.Proc, who string) harness.Verdict {
	return harness.Summarise(p.Check(harness.NewCheck("GET", "/orders/42", harness.WithPrincipal(who))))
}

// TestBundleLifecycle: a new version is swapped in by ETag polling; a
// tampered, unsigned or wrongly signed bundle is refused and counted, and
// the running version stays.
func TestBundleLifecycle(t *testing.T) {
	dir := t.TempDir()
	key, other := newSigner(t, dir, "iam.pub"), newSigner(t, dir, "other.pub")
	srv := newBundleServer(t)
	srv.publish(signedBundle(t, key, "v1", readPolicy))
	p := harness.Start(t, dir, bundleConfig(t, dir, srv.URL, key.pubFile, filepath.Join(dir, "cache"), "1h", "deny"))
	p.WaitReady()
	if v := readOrder(p, frontend); !v.Allow || v.Version != "v1" {
		t.Fatalf("v1: %+v", v)
	}
	m := p.Metrics()
	if !strings.Contains(m, `tollgate_policy_info{hash="sha256:`) || !strings.Contains(m, `version="v1"} 1`) {
		t.Fatalf("policy_info lacks v1:\n%s", grep(m, "tollgate_policy_info"))
	}

	// ETag cycle: a new version replaces v1 without a restart.
	srv.publish(signedBundle(t, key, "v2", readPolicy+"\n"+`@id("analyst-reads") permit (principal == Workload::"`+analyst+`", action, resource);`))
	testutil.Eventually(t, "v2 in force", func() bool { return readOrder(p, frontend).Version == "v2" })
	if v := readOrder(p, analyst); !v.Allow {
		t.Fatalf("v2 policy not applied: %+v", v)
	}
	testutil.Eventually(t, "a 304", func() bool {
		return testutil.TextValue(p.Metrics(), `tollgate_bundle_fetch_total{result="not_modified"}`) > 0
	})
	testutil.Eventually(t, "the decision log to name v2", func() bool {
		return strings.Contains(p.Stdout.String(), `"policy_version":"v2"`)
	})

	refused := func(name string, archive, sig []byte, result string) {
		before := testutil.TextValue(p.Metrics(), `tollgate_bundle_fetch_total{result="`+result+`"}`)
		srv.publish(archive, sig)
		testutil.Eventually(t, name+" refused", func() bool {
			return testutil.TextValue(p.Metrics(), `tollgate_bundle_fetch_total{result="`+result+`"}`) > before
		})
		if v := readOrder(p, analyst); !v.Allow || v.Version != "v2" {
			t.Fatalf("after %s: %+v, want v2 still in force", name, v)
		}
	}
	a3, s3 := signedBundle(t, key, "v3", readPolicy)
	tampered := append([]byte(nil), a3...)
	tampered[len(tampered)/2] ^= 0xff
	refused("tampered bundle", tampered, s3, "error_signature")
	refused("unsigned bundle", a3, nil, "error_signature")
	_, wrong := signedBundle(t, other, "v3", readPolicy)
	refused("wrongly signed bundle", a3, wrong, "error_signature")
	if !strings.Contains(p.Stderr.String(), "signature not valid for any trusted key") {
		t.Fatal("no clear error logged for the bad signature")
	}
	// A correctly signed bundle that breaks the manifest's schema is refused too.
	badSchema, badSig := signedBundle(t, key, "v4", `@id("x") permit (principal, action == Action::"Other", resource);`)
	refused("schema-invalid bundle", badSchema, badSig, "error_content")
}

// TestLastKnownGood: with the server down at start, the cached bundle is
// served at once; with no cache, serve exits non-zero with a clear error
// after start_timeout.
func TestLastKnownGood(t *testing.T) {
	dir := t.TempDir()
	key := newSigner(t, dir, "iam.pub")
	srv := newBundleServer(t)
	srv.publish(signedBundle(t, key, "lkg-1", readPolicy))
	cache := filepath.Join(dir, "cache")
	cfg := bundleConfig(t, dir, srv.URL, key.pubFile, cache, "1h", "deny")
	first := harness.Start(t, dir, cfg)
	first.WaitReady()
	if err := first.Stop(syscall.SIGTERM); err != nil {
		t.Fatalf("stop: %v", err)
	}
	srv.setDown(true)
	second := harness.Start(t, dir, cfg)
	second.WaitReady()
	if v := readOrder(second, frontend); !v.Allow || v.Version != "lkg-1" {
		t.Fatalf("last known good not served: %+v", v)
	}

	empty := t.TempDir()
	third := harness.Start(t, empty, withStartTimeout(
		bundleConfig(t, empty, srv.URL, key.pubFile, filepath.Join(empty, "cache"), "1h", "deny"), "500ms"))
	<-third.Exited
	if third.ExitErr == nil || !strings.Contains(third.Stderr.String(), "no usable bundle") {
		t.Fatalf("exit %v, stderr:\n%s", third.ExitErr, third.Stderr.String())
	}
}

// TestStaleness: when the server is unreachable for longer than
// max_staleness, readiness fails and (on_stale: deny) Checks fail closed.
func TestStaleness(t *testing.T) {
	dir := t.TempDir()
	key := newSigner(t, dir, "iam.pub")
	srv := newBundleServer(t)
	srv.publish(signedBundle(t, key, "s1", readPolicy))
	p := harness.Start(t, dir, bundleConfig(t, dir, srv.URL, key.pubFile, filepath.Join(dir, "cache"), "1s", "deny"))
	p.WaitReady()
	if v := readOrder(p, frontend); !v.Allow {
		t.Fatalf("before: %+v", v)
	}
	srv.setDown(true)
	testutil.Eventually(t, "readyz 503", func() bool { return readyStatus(t, p) == http.StatusServiceUnavailable })
	v := readOrder(p, frontend)
	if v.Allow || v.Code != "stale_policy" || v.HTTPStatus != http.StatusForbidden || v.Version != "s1" {
		t.Fatalf("stale: %+v", v)
	}
	srv.setDown(false)
	testutil.Eventually(t, "ready again", func() bool { return readyStatus(t, p) == http.StatusOK })
	if v := readOrder(p, frontend); !v.Allow {
		t.Fatalf("after recovery: %+v", v)
	}
}

func grep(text, word string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
