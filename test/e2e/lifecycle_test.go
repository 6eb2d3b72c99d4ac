package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// failures collects what went wrong in concurrent Checks (bounded).
type failures struct {
	mu   sync.Mutex
	msgs []string
	n    int
}

func (f *failures) add(msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	if len(f.msgs) < 50 {
		f.msgs = append(f.msgs, msg)
	}
}

func (f *failures) all() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.msgs...)
}

// hammer sends allowed Checks from n goroutines until stop is closed and
// records every failure (a transport error or a non-allow answer).
func hammer(e *coreEnv, n int, stop <-chan struct{}, versions *sync.Map) (ok *atomic.Int64, fails *failures, done *sync.WaitGroup) {
	ok, fails, done = &atomic.Int64{}, &failures{}, &sync.WaitGroup{}
	req := harness.NewCheck("GET", "/orders/42", e.cert(frontendID))
	client := e.Client()
	for i := 0; i < n; i++ {
		done.Add(1)
		go func() {
			defer done.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				resp, err := client.Check(ctx, req)
				cancel()
				if err != nil {
					fails.add(err.Error())
					time.Sleep(10 * time.Millisecond)
					continue
				}
				v := harness.Summarise(resp)
				if !v.Allow {
					fails.add("denied: " + v.Code)
					continue
				}
				versions.Store(v.Version, true)
				ok.Add(1)
			}
		}()
	}
	return ok, fails, done
}

func currentVersion(e *coreEnv) string {
	return harness.Summarise(e.Check(harness.NewCheck("GET", "/orders/42", e.cert(frontendID)))).Version
}

func TestHotReloadUnderLoad(t *testing.T) {
	e := startCore(t)
	v1 := currentVersion(e)
	stop := make(chan struct{})
	var versions sync.Map
	ok, failures, done := hammer(e, 8, stop, &versions)

	time.Sleep(300 * time.Millisecond)
	harness.WriteFile(t, e.Dir, "policies/extra.cedar", []byte(`@id("extra-permit")
permit (principal, action == Action::"ReadStatus", resource);
`))
	testutil.Eventually(t, "the new version to serve", func() bool { return currentVersion(e) != v1 })
	time.Sleep(300 * time.Millisecond)
	close(stop)
	done.Wait()
	for _, f := range failures.all() {
		t.Errorf("failed check during reload: %s", f)
	}
	seen := 0
	versions.Range(func(any, any) bool { seen++; return true })
	if ok.Load() == 0 || seen < 2 {
		t.Fatalf("want checks on both versions; ok=%d versions seen=%d", ok.Load(), seen)
	}
}

func TestBrokenReloadKeepsLastGood(t *testing.T) {
	e := startCore(t)
	v1 := currentVersion(e)
	harness.WriteFile(t, e.Dir, "policies/broken.cedar", []byte("@id(\"half\")\npermit (principal, action, \n"))
	testutil.Eventually(t, "the reload error to be logged", func() bool {
		return strings.Contains(e.Stderr.String(), "broken.cedar:")
	})
	if got := currentVersion(e); got != v1 {
		t.Fatalf("version changed to %q after a broken reload; want %q kept", got, v1)
	}
	if !strings.Contains(e.Metrics(), `tollgate_policy_reloads_total{result="error"}`) {
		t.Error("reload error not counted in tollgate_policy_reloads_total")
	}
	// Fixing the file recovers without a restart.
	if err := os.Remove(filepath.Join(e.Dir, "policies/broken.cedar")); err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, e.Dir, "policies/fixed.cedar", []byte("@id(\"fixed\")\nforbid (principal, action == Action::\"ListOrders\", resource);\n"))
	testutil.Eventually(t, "the fixed version", func() bool { return currentVersion(e) != v1 })
}

func TestBrokenInitialLoadExits(t *testing.T) {
	dir := t.TempDir()
	testcaBundle(t, dir)
	harness.CopyDir(t, "testdata/policies", filepath.Join(dir, "policies"))
	harness.WriteFile(t, dir, "policies/dup.cedar", []byte("@id(\"frontend-reads\")\npermit (principal, action, resource);\n"))
	b, _ := os.ReadFile("testdata/manifest.yaml")
	harness.WriteFile(t, dir, "manifest.yaml", b)
	p := harness.Start(t, dir, coreConfig)
	select {
	case <-p.Exited:
	case <-time.After(20 * time.Second):
		t.Fatal("tollgate kept running with a broken initial policy load")
	}
	var ee *exec.ExitError
	if !errors.As(p.ExitErr, &ee) || ee.ExitCode() == 0 {
		t.Fatalf("exit = %v, want non-zero", p.ExitErr)
	}
	for _, want := range []string{"dup.cedar:1", "frontend-reads"} {
		if !strings.Contains(p.Stderr.String(), want) {
			t.Errorf("startup error does not name %q:\n%s", want, p.Stderr.String())
		}
	}
}

func TestBadConfigNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	p := harness.Start(t, dir, strings.Replace(coreConfig, "reload_interval", "reload_intervall", 1))
	<-p.Exited
	if out := p.Stderr.String(); !strings.Contains(out, "tollgate.yaml:10") || !strings.Contains(out, "reload_intervall") {
		t.Fatalf("config error does not name file, line and key:\n%s", out)
	}
}

func TestSIGTERMDrains(t *testing.T) {
	e := startCore(t)
	stop := make(chan struct{})
	var versions sync.Map
	ok, failures, done := hammer(e, 8, stop, &versions)
	time.Sleep(300 * time.Millisecond)
	err := e.Stop(syscall.SIGTERM)
	close(stop)
	done.Wait()
	if err != nil {
		t.Fatalf("exit after SIGTERM = %v, want 0", err)
	}
	for _, f := range failures.all() {
		// New Checks after the listener closed are refused (Unavailable);
		// a Check that was accepted must have been answered.
		if !strings.Contains(f, codes.Unavailable.String()) {
			t.Errorf("check failed during drain with %s", f)
		}
	}
	if ok.Load() == 0 {
		t.Fatal("no checks completed")
	}
	if !strings.Contains(e.Stderr.String(), "drained") {
		t.Errorf("no drain in the log:\n%s", e.Stderr.String())
	}
}

func TestDecisionLogAndMetrics(t *testing.T) {
	e := startCore(t)
	secret := e.ca.NewJWTSVID("/ns/shop/sa/frontend", []string{"tollgate"})
	v := harness.Summarise(e.Check(harness.NewCheck("GET", "/orders/77?token=querysecret", harness.WithBearer(secret),
		harness.WithHeader("cookie", "session=cookiesecret"))))
	if !v.Allow {
		t.Fatalf("want allow: %+v", v)
	}
	testutil.Eventually(t, "the decision line", func() bool { return strings.Contains(e.Stdout.String(), v.DecisionID) })
	out := e.Stdout.String()
	for _, leak := range []string{secret, "querysecret", "cookiesecret"} {
		if strings.Contains(out, leak) || strings.Contains(e.Stderr.String(), leak) {
			t.Errorf("a secret reached the logs: %.20s...", leak)
		}
	}
	line := findLine(t, out, v.DecisionID)
	for _, k := range []string{"principal", "action", "resource", "policies", "policy_version", "latency_us"} {
		if _, ok := line[k]; !ok {
			t.Errorf("decision line lacks %q: %v", k, line)
		}
	}
	m := e.Metrics()
	for _, want := range []string{`tollgate_decisions_total{action="ReadOrder",code="permit",decision="allow",trust_domain="example.org"}`,
		"tollgate_check_duration_seconds_bucket", "tollgate_identity_failures_total"} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(m, frontendID) || strings.Contains(m, "/orders/77") {
		t.Error("a raw SPIFFE ID or path leaked into metric labels")
	}
}

func findLine(t *testing.T, out, id string) map[string]any {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if !strings.Contains(sc.Text(), id) {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("decision line is not JSON: %v", err)
		}
		return m
	}
	t.Fatalf("no decision line for %s", id)
	return nil
}
