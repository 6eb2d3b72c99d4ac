package governance

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// candidateReads is IAM's candidate: the analyst may read orders too.
const candidateReads = readPolicy + "\n" + `@id("analyst-reads")
permit (principal == Workload::"` + analyst + `", action == Action::"ReadOrder", resource);`

// TestShadowPolicySet: with policy.shadow, every Check is decided by the
// enforced policies only; the candidate's disagreements are counted and
// logged with both determining sets, and the shadow reloads on its own.
func TestShadowPolicySet(t *testing.T) {
	dir := t.TempDir()
	shadow := policyDir(t, readPolicy)
	p := harness.Start(t, dir, dirConfig(t, dir, policyDir(t, readPolicy), ", shadow: { dir: "+shadow+", reload_interval: 100ms }"))
	p.WaitReady()
	if v := readOrder(p, analyst); v.Allow {
		t.Fatalf("analyst allowed before any candidate: %+v", v)
	}
	if m := p.Metrics(); strings.Contains(m, "tollgate_shadow_disagreements_total{") {
		t.Fatalf("disagreement counted while the sets agree:\n%s", grep(m, "shadow"))
	}
	harness.WriteFile(t, shadow, "orders.cedar", []byte(candidateReads))
	series := `tollgate_shadow_disagreements_total{action="ReadOrder",enforced="deny",shadow="allow"}`
	testutil.Eventually(t, "the candidate to disagree", func() bool {
		if v := readOrder(p, analyst); v.Allow {
			t.Fatalf("the shadow's allow was acted on: %+v", v)
		}
		return testutil.TextValue(p.Metrics(), series) > 0
	})
	if v := readOrder(p, frontend); !v.Allow {
		t.Fatalf("frontend: %+v", v)
	}
	var line struct {
		SchemaVersion int            `json:"schema_version"`
		Context       map[string]any `json:"context"`
		Outcome       string         `json:"outcome"`
		Policies      []string       `json:"policies"`
		Shadow        struct {
			Outcome  string   `json:"outcome"`
			Policies []string `json:"policies"`
		} `json:"shadow"`
	}
	testutil.Eventually(t, "a decision line with the shadow's answer", func() bool {
		for _, l := range strings.Split(p.Stdout.String(), "\n") {
			if strings.Contains(l, `"shadow":`) && json.Unmarshal([]byte(l), &line) == nil {
				return true
			}
		}
		return false
	})
	if line.Outcome != "forbidden" || len(line.Policies) != 0 || line.Shadow.Outcome != "allow" ||
		strings.Join(line.Shadow.Policies, ",") != "analyst-reads" {
		t.Fatalf("decision line: %+v", line)
	}
	// The line holds what replay needs (docs/decision-log.md).
	if line.SchemaVersion != 1 || line.Context["path"] != "/orders/42" || line.Context["method"] != "GET" {
		t.Fatalf("decision line lacks the replay fields: %+v", line)
	}
}

// TestShadowMustFitManifests: a candidate that does not fit the manifests
// is refused at start with an error naming policy.shadow.
func TestShadowMustFitManifests(t *testing.T) {
	dir := t.TempDir()
	bad := policyDir(t, `@id("x") permit (principal, action == Action::"Other", resource);`)
	p := harness.Start(t, dir, dirConfig(t, dir, policyDir(t, readPolicy), ", shadow: { dir: "+bad+" }"))
	select {
	case <-p.Exited:
	case <-time.After(20 * time.Second):
		t.Fatal("tollgate started with a candidate that does not fit the manifests")
	}
	if !strings.Contains(p.Stderr.String(), "policy.shadow") {
		t.Fatalf("error does not name policy.shadow:\n%s", p.Stderr.String())
	}
}
