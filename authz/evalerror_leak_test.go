package authz

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/policy"
)

// leakPolicies errors on the argument values: ip() and decimal() embed the
// text they could not parse in cedar-go's error message.
const leakPolicies = `
@id("no-loopback-host")
forbid (principal, action == Action::"github.create_issue", resource)
when { context.mcp.arguments has host && ip(context.mcp.arguments.host).isLoopback() };

@id("budget-permit")
permit (principal, action == Action::"github.create_issue", resource)
when { context.mcp.arguments has budget && decimal(context.mcp.arguments.budget).greaterThan(decimal("1.0")) };
`

// TestEvalErrorValuesNeverLeak runs a real policy.Store (with its metrics)
// under the engine, and checks that an argument value that made a policy
// error reaches no log line, metric or Decision field (the Decision is all
// the envoy adapter turns into a response body and dynamic metadata).
func TestEvalErrorValuesNeverLeak(t *testing.T) {
	const secret = "SECRET-a9f3c1-hunter2"
	base, err := os.ReadFile("testdata/mcp.cedar")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := policy.Load(fstest.MapFS{
		"base.cedar": {Data: base},
		"leak.cedar": {Data: []byte(leakPolicies)},
	}, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	pm, err := policy.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	store := policy.NewStore(pm)
	store.Swap(snap)
	var log bytes.Buffer
	e := newLeakEngine(t, store, &log, reg)
	args := fmt.Sprintf(`{"repo":"acme/x","host":%q,"budget":%q}`, secret, secret)
	d := e.Check(context.Background(), mcpReq("/mcp", call(7, "create_issue", args)))
	if d.Allowed() || d.Code.String() != string(policy.ReasonForbidError) {
		t.Fatalf("decision %s/%s, want a forbid_error denial", d.Outcome, d.Code)
	}
	decision, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	places := map[string]string{"log": log.String(), "metrics": gatherText(t, reg), "decision": string(decision)}
	for where, text := range places {
		for _, leak := range []string{secret, "a9f3c1", "hunter2"} {
			if strings.Contains(text, leak) {
				t.Errorf("%s leaks %q: %s", where, leak, text)
			}
		}
	}
	assertEvalErrorKinds(t, log.Bytes(), map[string]string{
		"no-loopback-host": "extension_error", "budget-permit": "extension_error"})
}

func newLeakEngine(t *testing.T, pol Policies, log *bytes.Buffer, reg prometheus.Registerer) *Engine {
	t.Helper()
	m, err := manifest.Load("testdata/mcp.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(Config{Identifier: fakeIdentifier{}, Policies: pol, Manifest: m,
		Clock: func() time.Time { return testTime }, Registerer: reg,
		DecisionLog: slog.New(slog.NewJSONHandler(log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func gatherText(t *testing.T, g prometheus.Gatherer) string {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, mf := range mfs {
		if _, err := expfmt.MetricFamilyToText(&b, mf); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// assertEvalErrorKinds checks the decision line names each errored policy
// with the wanted error kind.
func assertEvalErrorKinds(t *testing.T, line []byte, want map[string]string) {
	t.Helper()
	var rec struct {
		EvalErrors []map[string]any `json:"eval_errors"`
	}
	if err := json.Unmarshal(line, &rec); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range rec.EvalErrors {
		if _, has := e["message"]; has {
			t.Errorf("eval error carries a free-text message: %v", e)
		}
		got[fmt.Sprint(e["policy"])] = fmt.Sprint(e["kind"])
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("eval_errors = %v, want %v", got, want)
	}
}
