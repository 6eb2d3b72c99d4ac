package authz

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/policy"
)

// candidate is IAM's next version: billing may also read orders, and
// order 42 is frozen.
const candidate = `
@id("frontend-reads-orders")
permit (principal, action in [Action::"ReadOrder", Action::"ListOrders"], resource)
when { principal.namespace == "shop" && principal.service_account == "frontend" };
@id("billing-reads-orders")
permit (principal, action == Action::"ReadOrder", resource)
when { principal.service_account == "billing" };
@id("freeze-42")
forbid (principal, action, resource == Order::"42");
`

type shadowLine struct {
	Outcome  string   `json:"outcome"`
	Policies []string `json:"policies"`
	Shadow   *struct {
		Outcome       string   `json:"outcome"`
		Code          string   `json:"code"`
		Policies      []string `json:"policies"`
		PolicyVersion string   `json:"policy_version"`
	} `json:"shadow"`
}

// TestShadowPolicies: only the enforced result is acted on; each
// disagreement is counted by enforced and shadow outcome and action, and
// logged with both determining sets.
func TestShadowPolicies(t *testing.T) {
	var buf bytes.Buffer
	reg := prometheus.NewRegistry()
	cfg := testConfig(t, ordersPolicies(t))
	cfg.Shadow = loadPolicies(t, candidate)
	cfg.DecisionLog = slog.New(slog.NewJSONHandler(&buf, nil))
	cfg.Registerer = reg
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, principal, path string
		allow                 bool
		shadow                string // "" when shadow agrees
		shadowPolicies        []string
	}{
		{"agree allow", frontend, "/orders/7", true, "", nil},
		{"shadow denies", frontend, "/orders/42", true, "deny", []string{"freeze-42"}},
		{"shadow allows", billing, "/orders/7", false, "allow", []string{"billing-reads-orders"}},
		{"agree deny", billing, "/orders/42", false, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf.Reset()
			d := e.Check(context.Background(), req(tt.principal, "GET", tt.path))
			if d.Allowed() != tt.allow {
				t.Fatalf("enforced decision changed by the shadow: %+v", d)
			}
			var line shadowLine
			if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
				t.Fatal(err)
			}
			if tt.shadow == "" {
				if line.Shadow != nil {
					t.Fatalf("agreement logged as a disagreement: %s", buf.String())
				}
				return
			}
			if line.Shadow == nil || line.Shadow.Outcome != tt.shadow ||
				!slices.Equal(line.Shadow.Policies, tt.shadowPolicies) || line.Shadow.PolicyVersion != "test-1" {
				t.Fatalf("shadow in log = %s", buf.String())
			}
			if !slices.Equal(line.Policies, d.Policies) {
				t.Fatalf("enforced policies in log = %v, want %v", line.Policies, d.Policies)
			}
		})
	}
	want := map[string]float64{
		"allow/deny/ReadOrder": 1,
		"deny/allow/ReadOrder": 1,
	}
	got := map[string]float64{}
	for _, m := range testutil.Samples(t, reg, "tollgate_shadow_disagreements_total") {
		l := m.Labels
		got[l["enforced"]+"/"+l["shadow"]+"/"+l["action"]] = m.Value
	}
	if len(got) != len(want) || got["allow/deny/ReadOrder"] != 1 || got["deny/allow/ReadOrder"] != 1 {
		t.Fatalf("disagreements = %v, want %v", got, want)
	}
}

// panicPolicies is a shadow that fails as badly as it can.
type panicPolicies struct{}

func (panicPolicies) Evaluate(cedar.Request, ...types.Entity) policy.Decision { panic("shadow bug") }

func (panicPolicies) Version() string { return "" }

// TestShadowCannotChangeEnforcement: a failing shadow never turns an
// allow into a denial or a denial into an allow.
func TestShadowCannotChangeEnforcement(t *testing.T) {
	for _, shadow := range []Policies{panicPolicies{}, cedarPolicies{}, loadPolicies(t, `@id("all") permit(principal, action, resource);`)} {
		cfg := testConfig(t, ordersPolicies(t))
		cfg.Shadow = shadow
		e, err := NewEngine(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if d := e.Check(context.Background(), req(frontend, "GET", "/orders/7")); !d.Allowed() {
			t.Errorf("%T: allow lost: %+v", shadow, d)
		}
		if d := e.Check(context.Background(), req(billing, "GET", "/orders/7")); d.Allowed() || d.Code.String() != "no_permit" {
			t.Errorf("%T: deny changed: %+v", shadow, d)
		}
	}
}

// TestShadowMCP: each JSON-RPC element is also evaluated against the
// shadow; the disagreement's action label is bounded like the decision
// metric's, and the enforced answer stands.
func TestShadowMCP(t *testing.T) {
	m, err := manifest.Load("testdata/mcp.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/mcp.cedar")
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	cfg := Config{Identifier: fakeIdentifier{}, Policies: loadPolicies(t, string(b)), Manifest: m,
		Shadow: cedarPolicies{}, Clock: func() time.Time { return testTime }, Registerer: reg}
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d := e.Check(context.Background(), mcpReq("/mcp", call(1, "search_issues", `{"q":"bug"}`))); !d.Allowed() {
		t.Fatalf("enforced allow lost: %+v", d)
	}
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, f := range fams {
		if f.GetName() == "tollgate_shadow_disagreements_total" {
			for _, mt := range f.GetMetric() {
				for _, l := range mt.GetLabel() {
					labels = append(labels, l.GetName()+"="+l.GetValue())
				}
			}
		}
	}
	// per_tool mode: each tool is a manifest action, so a bounded label.
	want := []string{"action=github.search_issues", "enforced=allow", "shadow=deny"}
	if !slices.Equal(labels, want) || !e.Manifest().HasAction("github.search_issues") {
		t.Fatalf("disagreement labels = %v, want %v", labels, want)
	}
}
