package authz

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cedar-policy/cedar-go/x/exp/schema"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/policy"
)

// pepPolicies tell an asserted principal from a verified one by
// context.enforcement_point, which only an AuthZEN evaluation has.
const pepPolicies = `
@id("gateway-reads")
permit (principal is Workload, action == Action::"ReadOrder", resource)
when { context has enforcement_point && context.enforcement_point == "spiffe://pep.example/mcp-gateway" };

@id("updates")
permit (principal is Workload, action == Action::"UpdateOrder", resource);

@id("updates-need-a-verified-principal")
forbid (principal, action == Action::"UpdateOrder", resource)
when { context has enforcement_point };
`

// TestEvaluateEnforcementPoint: the enforcement point's SPIFFE ID is the
// String context.enforcement_point of an evaluation, absent from a
// proxy's request, and never the enforcement point's to assert.
func TestEvaluateEnforcementPoint(t *testing.T) {
	var buf bytes.Buffer
	cfg := testConfig(t, loadPolicies(t, pepPolicies))
	cfg.DecisionLog = slog.New(slog.NewJSONHandler(&buf, nil))
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	other := spiffeid.RequireFromString("spiffe://pep.example/job-runner")
	tests := []struct {
		name string
		d    func() Decision
		code string
	}{
		{"asked by the gateway", func() Decision { return e.Evaluate(context.Background(), query(frontend, "ReadOrder", "Order", "42")) }, "permit"},
		{"asked by another enforcement point", func() Decision {
			return e.Evaluate(context.Background(), with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) { q.Caller = other }))
		}, "no_permit"},
		{"through the proxy", func() Decision { return e.Check(context.Background(), req(frontend, "GET", "/orders/42")) }, "no_permit"},
		{"asserted principal may not update", func() Decision {
			return e.Evaluate(context.Background(), query(frontend, "UpdateOrder", "Order", "42"))
		}, "forbid"},
		{"verified principal may update", func() Decision { return e.Check(context.Background(), req(frontend, "PUT", "/orders/42")) }, "permit"},
		{"the enforcement point cannot set it", func() Decision {
			return e.Evaluate(context.Background(), with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) {
				q.Context = map[string]any{"enforcement_point": "spiffe://pep.example/mcp-gateway"}
				q.Caller = other
			}))
		}, CodeBadQuery.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := tt.d(); d.Code.String() != tt.code {
				t.Fatalf("code %q (%s), want %q", d.Code, d.Detail, tt.code)
			}
		})
	}
	buf.Reset()
	e.Evaluate(context.Background(), query(frontend, "ReadOrder", "Order", "42"))
	var line struct {
		Context  map[string]any `json:"context"`
		Redacted []string       `json:"context_redacted"`
	}
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	if line.Context["enforcement_point"] != pep.String() || len(line.Redacted) != 0 {
		t.Errorf("logged context %v, redacted %v", line.Context, line.Redacted)
	}
}

// TestEnforcementPointShape: the policy shape check and the manifest
// schema check know context.enforcement_point: an optional String.
func TestEnforcementPointShape(t *testing.T) {
	a := ContextShape(PolicyCheck{Manifest: ordersManifest(t)}).Context.Attrs["enforcement_point"]
	if a == nil || a.Type != "String" {
		t.Fatalf("shape of context.enforcement_point: %+v", a)
	}
	snap, err := policy.Load(fstest.MapFS{"p.cedar": {Data: []byte(pepPolicies)}}, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPolicies(snap, PolicyCheck{Manifest: ordersManifest(t)}); err != nil {
		t.Fatalf("policies reading context.enforcement_point: %v", err)
	}
	m, err := manifest.Parse("m.yaml", []byte("routes:\n  - name: r\n    match: { path: /x }\n    action: A\n    resource: { type: Order, id: x }\n"))
	if err != nil {
		t.Fatal(err)
	}
	for ctx, want := range map[string]string{
		"enforcement_point?: String": "",
		"enforcement_point: String":  "context.enforcement_point, which is absent from some requests",
		"enforcement_point?: Long":   "context.enforcement_point is a String in requests",
	} {
		var s schema.Schema
		text := "entity Workload, Order;\naction A appliesTo { principal: Workload, resource: Order, context: { " + ctx + " } };"
		if err := s.UnmarshalCedar([]byte(text)); err != nil {
			t.Fatal(err)
		}
		res, err := s.Resolve()
		if err != nil {
			t.Fatal(err)
		}
		err = checkManifest(m, res, mapperContext(nil, nil, nil, false))
		if (want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", ctx, err, want)
		}
	}
	cfg := testConfig(t, loadPolicies(t, pepPolicies))
	cfg.Signals = []Signal{{Name: "enforcement_point", From: FromHeader, Key: "x-pep", Type: TypeString}}
	if _, err := NewEngine(cfg); err == nil {
		t.Error("a signal named enforcement_point was accepted")
	}
}

// TestEvaluateTailNamesEnforcementPoint: the admin page's tail gets the
// enforcement point of an evaluation, and none for a proxy's request.
func TestEvaluateTailNamesEnforcementPoint(t *testing.T) {
	rec := &tailRecorder{}
	cfg := testConfig(t, ordersPolicies(t))
	cfg.Tail = rec
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.Evaluate(context.Background(), query(frontend, "ReadOrder", "Order", "42"))
	e.Evaluate(context.Background(), query("spiffe://made-up.example/x", "ReadOrder", "Order", "42"))
	e.Check(context.Background(), req(frontend, "GET", "/orders/42"))
	if len(rec.got) != 3 {
		t.Fatalf("tail got %d", len(rec.got))
	}
	for i, want := range []string{pep.String(), pep.String(), ""} {
		if got := rec.got[i].EnforcementPoint; got != want {
			t.Errorf("summary %d: enforcement point %q, want %q", i, got, want)
		}
	}
}
