package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// ocsfEvent is the part of an OCSF API Activity event this test reads.
type ocsfEvent struct {
	ClassUID      int    `json:"class_uid"`
	CategoryUID   int    `json:"category_uid"`
	ActivityID    int    `json:"activity_id"`
	TypeUID       int64  `json:"type_uid"`
	Time          int64  `json:"time"`
	SeverityID    int    `json:"severity_id"`
	StatusID      int    `json:"status_id"`
	StatusCode    string `json:"status_code"`
	ActionID      int    `json:"action_id"`
	DispositionID int    `json:"disposition_id"`
	Metadata      struct {
		Version string `json:"version"`
		UID     string `json:"uid"`
		Product struct {
			Name string `json:"name"`
		} `json:"product"`
	} `json:"metadata"`
	Actor struct {
		User struct {
			UID string `json:"uid"`
		} `json:"user"`
	} `json:"actor"`
	API struct {
		Operation string `json:"operation"`
	} `json:"api"`
	Authorizations []struct {
		Policy struct {
			UID string `json:"uid"`
		} `json:"policy"`
	} `json:"authorizations"`
	Trace *struct {
		UID string `json:"uid"`
	} `json:"trace"`
}

// TestOCSFDecisionLog: the real binary with log.decision_format: ocsf
// writes one OCSF event per Check on stdout, naming the decision, the
// determining policies and the W3C trace id, and no secret.
func TestOCSFDecisionLog(t *testing.T) {
	dir := t.TempDir()
	ca := testca.New(t, "example.org")
	harness.WriteFile(t, dir, "bundle.pem", ca.X509BundlePEM())
	harness.WriteFile(t, dir, "jwks.json", ca.JWKS())
	harness.CopyDir(t, "testdata/policies", filepath.Join(dir, "policies"))
	b, err := os.ReadFile("testdata/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "manifest.yaml", b)
	p := harness.Start(t, dir, strings.Replace(coreConfig, "log: { decisions: stdout }",
		"log: { decisions: decisions.ocsf, decision_format: ocsf }", 1))
	logFile := filepath.Join(dir, "decisions.ocsf")
	p.WaitReady()
	e := &coreEnv{Proc: p, ca: ca}

	const trace = "4bf92f3577b34da6a3ce929d0e0e4736"
	const secret = "e2e-secret-token"
	checks := []struct {
		name     string
		v        harness.Verdict
		status   int
		disp     int
		user, op string
		policy   string
		traceID  string
	}{
		{name: "allow with trace", v: harness.Summarise(e.Check(harness.NewCheck("GET", "/orders/42?token="+secret, e.cert(frontendID),
			harness.WithHeader("traceparent", "00-"+trace+"-00f067aa0ba902b7-01"), harness.WithHeader("cookie", "s="+secret)))),
			status: 1, disp: 1, user: frontendID, op: `Action::"ReadOrder"`, policy: "frontend-reads", traceID: trace},
		{name: "deny by forbid", v: harness.Summarise(e.Check(harness.NewCheck("DELETE", "/orders/1", e.cert(adminID)))),
			status: 2, disp: 26, user: adminID, op: `Action::"DeleteOrder"`, policy: "no-delete-order-1"},
		{name: "no permit", v: harness.Summarise(e.Check(harness.NewCheck("GET", "/orders/42", e.cert(strangerID)))),
			status: 2, disp: 26, user: strangerID, op: `Action::"ReadOrder"`},
		{name: "unauthenticated", v: harness.Summarise(e.Check(harness.NewCheck("GET", "/orders/42",
			harness.WithBearer(secret)))), status: 2, disp: 2, op: "GET"},
	}
	var lines []string
	var text string
	testutil.Eventually(t, "four OCSF events in the decision log", func() bool {
		b, _ := os.ReadFile(logFile)
		text = string(b)
		lines = strings.Split(strings.TrimSpace(text), "\n")
		return len(lines) >= len(checks)
	})
	if len(lines) != len(checks) {
		t.Fatalf("want %d lines, got %d:\n%s", len(checks), len(lines), text)
	}
	if strings.Contains(text, secret) {
		t.Fatalf("decision log leaks a secret:\n%s", text)
	}
	for i, c := range checks {
		var ev ocsfEvent
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(lines[i]), &raw); err != nil {
			t.Fatalf("%s: line is not a JSON object: %v\n%s", c.name, err, lines[i])
		}
		if _, ok := raw["msg"]; ok {
			t.Fatalf("%s: a slog line, not an OCSF event: %s", c.name, lines[i])
		}
		if err := json.Unmarshal([]byte(lines[i]), &ev); err != nil {
			t.Fatal(err)
		}
		if ev.ClassUID != 6003 || ev.CategoryUID != 6 || ev.TypeUID != int64(ev.ClassUID)*100+int64(ev.ActivityID) ||
			ev.Metadata.Version != "1.5.0" || ev.Metadata.Product.Name != "Tollgate" || ev.Time <= 0 || ev.SeverityID == 0 {
			t.Errorf("%s: not an OCSF 1.5.0 API Activity event: %s", c.name, lines[i])
		}
		if ev.Metadata.UID != c.v.DecisionID || ev.StatusCode != c.v.Code || ev.StatusID != c.status ||
			ev.ActionID != c.status || ev.DispositionID != c.disp || ev.Actor.User.UID != c.user || ev.API.Operation != c.op {
			t.Errorf("%s: event does not describe the decision %+v: %s", c.name, c.v, lines[i])
		}
		var pol string
		if len(ev.Authorizations) > 0 {
			pol = ev.Authorizations[0].Policy.UID
		}
		var tr string
		if ev.Trace != nil {
			tr = ev.Trace.UID
		}
		if pol != c.policy || tr != c.traceID {
			t.Errorf("%s: policy %q trace %q, want %q %q", c.name, pol, tr, c.policy, c.traceID)
		}
	}

	// tollgate report reads the OCSF log the server wrote.
	out, err := exec.Command(harness.Binary, "report", "--config", filepath.Join(dir, "tollgate.yaml"),
		"--output", "json", "--since", "1d", logFile).CombinedOutput()
	if err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	var rep struct {
		Decisions int `json:"decisions"`
		Forbids   []struct {
			Key string `json:"key"`
		} `json:"forbids_fired"`
	}
	if err := json.Unmarshal(out, &rep); err != nil || rep.Decisions != len(checks) ||
		len(rep.Forbids) != 1 || rep.Forbids[0].Key != "no-delete-order-1" {
		t.Fatalf("report over the OCSF log (%v): %s", err, out)
	}
}
