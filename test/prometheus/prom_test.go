package prometheus

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// promProc is a running Prometheus.
type promProc struct {
	addr   string
	stderr *harness.SyncBuffer
}

// prometheusBinary finds prometheus on PATH or where Debian installs it.
// It skips the test when it is missing, or fails it when
// TOLLGATE_E2E_REQUIRE=1.
func prometheusBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("prometheus"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/prometheus"); err == nil {
		return "/usr/bin/prometheus"
	}
	if os.Getenv("TOLLGATE_E2E_REQUIRE") == "1" {
		t.Fatal("prometheus not found (TOLLGATE_E2E_REQUIRE=1): run test/tools/install.sh")
	}
	t.Skip("prometheus not found; run test/tools/install.sh")
	return ""
}

const promConfig = `global: { scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s }
scrape_configs:
  - job_name: tollgate
    static_configs: [{ targets: ["%s"] }]
`

// startPrometheus starts Prometheus scraping target every second and waits
// until it is ready.
func startPrometheus(t *testing.T, target string) *promProc {
	t.Helper()
	bin := prometheusBinary(t)
	dir := t.TempDir()
	cfg := harness.WriteFile(t, dir, "prometheus.yml", fmt.Appendf(nil, promConfig, target))
	p := &promProc{addr: harness.FreeAddr(t), stderr: &harness.SyncBuffer{}}
	cmd := exec.Command(bin, "--config.file="+cfg, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+p.addr, "--log.level=warn")
	cmd.Stdout, cmd.Stderr = p.stderr, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("prometheus output:\n%s", p.stderr.String())
		}
	})
	waitFor(t, 15*time.Second, exited, func() bool {
		resp, err := http.Get("http://" + p.addr + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, "prometheus ready")
	return p
}

// waitFor polls cond until it holds, the process exits or the deadline passes.
func waitFor(t *testing.T, d time.Duration, exited <-chan struct{}, cond func() bool, what string) {
	t.Helper()
	testutil.Poll(t, what, d, 100*time.Millisecond, func() error {
		if cond() {
			return nil
		}
		return errors.New("not yet")
	}, func() error {
		select {
		case <-exited:
			return errors.New("process exited")
		default:
			return nil
		}
	})
}

// series is one instant-vector sample from /api/v1/query.
type series struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

func (s series) value() string { v, _ := s.Value[1].(string); return v }

// query runs an instant query and returns its vector.
func (p *promProc) query(t *testing.T, q string) []series {
	t.Helper()
	resp, err := http.Get("http://" + p.addr + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string   `json:"resultType"`
			Result     []series `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("query %q: %v", q, err)
	}
	if body.Status != "success" || body.Data.ResultType != "vector" {
		t.Fatalf("query %q: status %q, type %q: %s", q, body.Status, body.Data.ResultType, body.Error)
	}
	return body.Data.Result
}
