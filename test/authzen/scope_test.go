package authzen

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

const runnerID = "spiffe://example.org/ns/jobs/sa/runner" // may assert storefront subjects only

// TestAuthZENSubjects: the real binary refuses a subject outside
// identity.trust_domains from any caller, refuses a scoped caller's
// subject outside its patterns, and gives policies the enforcement point
// as context.enforcement_point.
func TestAuthZENSubjects(t *testing.T) {
	d := startDoorWith(t, "\n    - "+gatewayID+"\n    - {id: "+runnerID+", subjects: [spiffe://example.org/ns/shop/*]}")
	gw := d.client(d.svid(d.ca, "/ns/mcp/sa/gateway"), d.ca.X509Bundle())
	runner := d.client(d.svid(d.ca, "/ns/jobs/sa/runner"), d.ca.X509Bundle())
	base := "https://" + d.addr
	ask := func(subject, action string) string {
		return `{"subject":{"type":"Workload","id":"` + subject + `"},"action":{"name":"` + action + `","properties":{"method":"GET"}},
		  "resource":{"type":"Order","id":"42"}}`
	}
	tests := []struct {
		name   string
		caller string
		body   string
		want   bool
		code   string
	}{
		{"foreign trust domain from an unscoped caller", "gateway", ask("spiffe://partner.org/ns/shop/sa/frontend", "ReadOrder"), false, "identity_untrusted_domain"},
		{"foreign trust domain from a scoped caller", "runner", ask("spiffe://partner.org/ns/shop/sa/frontend", "ReadOrder"), false, "identity_untrusted_domain"},
		{"unscoped caller, any subject of the trust domain", "gateway", ask("spiffe://example.org/ns/shop/sa/frontend", "ReadOrder"), true, "permit"},
		{"scoped caller, subject in scope", "runner", ask("spiffe://example.org/ns/shop/sa/frontend", "ReadOrder"), true, "permit"},
		{"scoped caller, subject out of scope", "runner", ask("spiffe://example.org/ns/ai/sa/agent", "ReadOrder"), false, "subject_not_allowed"},
		{"policy reads the enforcement point", "runner", ask("spiffe://example.org/ns/shop/sa/frontend", "DeleteOrder"), true, "permit"},
		{"another enforcement point", "gateway", ask("spiffe://example.org/ns/shop/sa/frontend", "DeleteOrder"), false, "no_permit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := gw
			if tt.caller == "runner" {
				c = runner
			}
			status, body, err := post(c, base+"/access/v1/evaluation", tt.body)
			var got struct {
				Decision bool           `json:"decision"`
				Context  map[string]any `json:"context"`
			}
			if err != nil || status != 200 || json.Unmarshal(body, &got) != nil {
				t.Fatalf("%d %s %v", status, body, err)
			}
			if got.Decision != tt.want || got.Context["code"] != tt.code {
				t.Fatalf("got %s, want decision %v code %s", body, tt.want, tt.code)
			}
		})
	}
	testutil.Eventually(t, "a decision line for each evaluation", func() bool {
		return strings.Count(d.p.Stdout.String(), `"msg":"decision"`) == len(tests)
	})
	lines := decisionLines(t, d.p.Stdout.String(), "enforcement_point", runnerID)
	if len(lines) != 4 {
		t.Fatalf("%d decision lines name the runner, want 4:\n%s", len(lines), d.p.Stdout)
	}
	for _, l := range lines {
		if c, _ := l["context"].(map[string]any); l["code"] == "permit" && c["enforcement_point"] != runnerID {
			t.Errorf("logged context without the enforcement point: %v", l)
		}
	}
}

// decisionLines are the decision log's lines whose key is value.
func decisionLines(t *testing.T, log, key, value string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		if m["msg"] == "decision" && m[key] == value {
			out = append(out, m)
		}
	}
	return out
}

// TestAuthZENTraceparent: the enforcement point's traceparent header is
// on the decision line, as the Envoy door logs it.
func TestAuthZENTraceparent(t *testing.T) {
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	d := startDoor(t)
	gw := d.client(d.svid(d.ca, "/ns/mcp/sa/gateway"), d.ca.X509Bundle())
	req, _ := http.NewRequestWithContext(context.Background(), "POST", "https://"+d.addr+"/access/v1/evaluation",
		strings.NewReader(`{"subject":{"type":"Workload","id":"spiffe://example.org/ns/shop/sa/frontend"},
		  "action":{"name":"ReadOrder","properties":{"method":"GET"}},"resource":{"type":"Order","id":"42"}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("traceparent", tp)
	resp, err := gw.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	testutil.Eventually(t, "the decision line", func() bool { return strings.Contains(d.p.Stdout.String(), `"msg":"decision"`) })
	lines := decisionLines(t, d.p.Stdout.String(), "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")
	if len(lines) != 1 || lines[0]["parent_id"] != "00f067aa0ba902b7" || lines[0]["enforcement_point"] != gatewayID {
		t.Fatalf("decision lines with the trace: %v\n%s", lines, d.p.Stdout)
	}
}
