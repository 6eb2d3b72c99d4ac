package spire

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// result mirrors the JSON line the workload prints per check.
type result struct {
	Mode         string `json:"mode"`
	Method       string `json:"method"`
	Path         string `json:"path"`
	Allow        bool   `json:"allow"`
	Status       int    `json:"status"`
	Code         string `json:"code"`
	Serial       string `json:"serial"`
	ID           string `json:"spiffe_id"`
	Upstream     string `json:"x_spiffe_id"`
	ServerSerial string `json:"server_serial"`
	ServerID     string `json:"server_id"`
	Error        string `json:"error"`
	GRPCCode     string `json:"grpc_code"`
}

// carriers are the credential carriers every decision is checked with.
var carriers = []string{"cert", "xfcc", "jwt"}

// runWorkload runs the workload binary against tg with extra flags and
// returns its checks. An error means the workload failed (for example,
// the agent has not issued its SVID yet).
func runWorkload(s *spire, tg *tollgate, extra ...string) ([]result, error) {
	return runBin(workloadBin, s, tg, extra...)
}

// runBin is runWorkload for the workload binary at bin.
func runBin(bin string, s *spire, tg *tollgate, extra ...string) ([]result, error) {
	args := append([]string{"-socket", s.socketURI(), "-tollgate", tg.GRPCAddr,
		"-modes", strings.Join(carriers, ","), "-timeout", "10s"}, extra...)
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("workload: %w: %s", err, stderr.String())
	}
	var rs []result
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("workload output %q: %w", sc.Text(), err)
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// mustRunWorkload is runWorkload that fails the test on error.
func mustRunWorkload(t *testing.T, s *spire, tg *tollgate, extra ...string) []result {
	t.Helper()
	rs, err := runWorkload(s, tg, extra...)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// assertDecisions checks that, with every carrier, the workload may read
// an order (permit, x-spiffe-id set upstream) and may not delete one
// (403 forbid), all with the same certificate serial.
func assertDecisions(t *testing.T, tg *tollgate, rs []result) {
	t.Helper()
	if len(rs) != 2*len(carriers) {
		t.Fatalf("%s: got %d checks, want %d: %+v", tg.source, len(rs), 2*len(carriers), rs)
	}
	for _, r := range rs {
		what := fmt.Sprintf("%s: %s %s via %s (serial %s)", tg.source, r.Method, r.Path, r.Mode, r.Serial)
		if r.Error != "" {
			t.Errorf("%s: transport error %s: %s", what, r.GRPCCode, r.Error)
			continue
		}
		if r.ID != frontendID || r.Serial != rs[0].Serial {
			t.Errorf("%s: workload identity %s serial %s, want %s serial %s", what, r.ID, r.Serial, frontendID, rs[0].Serial)
		}
		switch r.Method {
		case "GET":
			if !r.Allow || r.Status != 200 || r.Code != "permit" || r.Upstream != frontendID {
				t.Errorf("%s: got allow=%v status=%d code=%q x-spiffe-id=%q, want an allow for %s",
					what, r.Allow, r.Status, r.Code, r.Upstream, frontendID)
			}
		case "DELETE":
			if r.Allow || r.Status != 403 || r.Code != "forbid" {
				t.Errorf("%s: got allow=%v status=%d code=%q, want 403 forbid", what, r.Allow, r.Status, r.Code)
			}
		default:
			t.Errorf("%s: unexpected check", what)
		}
	}
}
