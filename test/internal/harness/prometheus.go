package harness

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

// Prometheus is a real Prometheus (Debian's, installed by
// test/tools/install.sh) scraping Tollgate admin listeners every second.
type Prometheus struct {
	Addr string
	Log  *SyncBuffer
}

// PrometheusBinary finds prometheus on PATH or where Debian installs it. It
// skips the test when it is missing, or fails it when TOLLGATE_E2E_REQUIRE=1.
func PrometheusBinary(t *testing.T) string {
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

// StartPrometheus runs Prometheus with one job, "tollgate", scraping the
// admin addresses targets, and waits until it is ready. It stops at cleanup.
func StartPrometheus(t *testing.T, targets ...string) *Prometheus {
	t.Helper()
	bin := PrometheusBinary(t)
	dir := t.TempDir()
	cfg := "global: { scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s }\n" +
		"scrape_configs:\n  - job_name: tollgate\n    static_configs: [{ targets: [\"" + strings.Join(targets, `", "`) + "\"] }]\n"
	path := WriteFile(t, dir, "prometheus.yml", []byte(cfg))
	p := &Prometheus{Addr: FreeAddr(t), Log: &SyncBuffer{}}
	cmd := exec.Command(bin, "--config.file="+path, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+p.Addr, "--log.level=warn")
	cmd.Stdout, cmd.Stderr = p.Log, p.Log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("prometheus output:\n%s", p.Log.String())
		}
	})
	testutil.Poll(t, "prometheus ready", 30*time.Second, 100*time.Millisecond, func() error {
		resp, err := http.Get("http://" + p.Addr + "/-/ready")
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return errors.New(resp.Status)
		}
		return nil
	}, func() error {
		select {
		case <-exited:
			return errors.New("prometheus exited")
		default:
			return nil
		}
	})
	return p
}

// Series is one instant-vector sample from /api/v1/query.
type Series struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

// Val is the sample's value as Prometheus printed it.
func (s Series) Val() string { v, _ := s.Value[1].(string); return v }

// Query runs an instant query and returns its vector.
func (p *Prometheus) Query(t *testing.T, q string) []Series {
	t.Helper()
	resp, err := http.Get("http://" + p.Addr + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string   `json:"resultType"`
			Result     []Series `json:"result"`
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
