package authz

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

var pep = spiffeid.RequireFromString("spiffe://pep.example/mcp-gateway")

func query(subject, action, resType, resID string) *Query {
	return &Query{Caller: pep, Subject: QueryEntity{Type: "Workload", ID: subject},
		Action: QueryAction{Name: action}, Resource: QueryEntity{Type: resType, ID: resID}}
}

func with(q *Query, f func(*Query)) *Query { f(q); return q }

func TestEvaluate(t *testing.T) {
	n42 := json.Number("42")
	tests := []struct {
		name     string
		q        *Query
		outcome  Outcome
		code     string
		reason   string // substring
		policies string
	}{
		{"permitted", query(frontend, "ReadOrder", "Order", "42"), Allow, "permit", "", "frontend-reads-orders"},
		{"not permitted", query(billing, "ReadOrder", "Order", "42"), Forbidden, "no_permit", "", ""},
		{"forbidden resource", query(frontend, "ReadOrder", "Order", "13"), Forbidden, "forbid", "", "no-order-13"},
		{"namespaced action", query(frontend, `Orders::Action::"call"`, "GrpcMethod", "acme.orders.v1.Orders/GetOrder"), Allow, "permit", "", "grpc-calls"},
		{"signal from context", with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) { q.Context = map[string]any{"risk": json.Number("90")} }),
			Forbidden, "forbid", "", "low-risk-only"},
		{"context attribute the policy needs", with(query(billing, "UpdateOrder", "Order", "42"), func(q *Query) { q.Context = map[string]any{"tls": true} }),
			Allow, "permit", "", "billing-updates-orders"},
		{"missing attribute fails closed", query(billing, "UpdateOrder", "Order", "42"), Forbidden, "no_permit", "", ""},
		{"action properties are context", with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) {
			q.Action.Properties = map[string]any{"method": "GET"}
			q.Subject.Properties = map[string]any{"ip_address": "10.0.0.1"}
		}), Allow, "permit", "", "frontend-reads-orders"},
		{"no caller", with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) { q.Caller = spiffeid.ID{} }), BadRequest, CodeBadRequest, "enforcement point", ""},
		{"subject type not Workload", with(query("alice@example.com", "ReadOrder", "Order", "42"), func(q *Query) { q.Subject.Type = "user" }),
			BadRequest, CodeBadQuery, `subject.type "user"`, ""},
		{"subject id not a SPIFFE ID", query("alice@example.com", "ReadOrder", "Order", "42"), BadRequest, CodeBadQuery, "subject.id", ""},
		{"unknown action", query(frontend, "can_read", "Order", "42"), BadRequest, CodeBadQuery, `action.name "can_read"`, ""},
		{"bad action UID", query(frontend, `Action::"x`, "Order", "42"), BadRequest, CodeBadQuery, "not a Cedar entity UID", ""},
		{"unknown resource type", query(frontend, "ReadOrder", "account", "42"), BadRequest, CodeBadQuery, `resource.type "account"`, ""},
		{"principal type as resource", query(frontend, "ReadOrder", "Workload", frontend), BadRequest, CodeBadQuery, "resource.type", ""},
		{"resource properties", with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) { q.Resource.Properties = map[string]any{"owner": "x"} }),
			BadRequest, CodeBadQuery, "resource.properties", ""},
		{"time is Tollgate's", with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) { q.Context = map[string]any{"time": "1985-10-26T01:22-07:00"} }),
			BadRequest, CodeBadQuery, "context.time", ""},
		{"unknown context key", with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) { q.Context = map[string]any{"jwt": map[string]any{}} }),
			BadRequest, CodeBadQuery, "context.jwt: not a context attribute", ""},
		{"wrong context type", with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) { q.Context = map[string]any{"risk": "low"} }),
			BadRequest, CodeBadQuery, "context.risk: must be a Long", ""},
		{"fraction for a Long", with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) { q.Context = map[string]any{"risk": json.Number("1.5")} }),
			BadRequest, CodeBadQuery, "must be a Long", ""},
		{"bad ip address", with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) { q.Context = map[string]any{"source_address": "10.0.0.0/8"} }),
			BadRequest, CodeBadQuery, "must be a ipaddr", ""},
		{"subject property other than ip_address", with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) { q.Subject.Properties = map[string]any{"department": "Sales"} }),
			BadRequest, CodeBadQuery, "subject.properties.department", ""},
		{"key given twice", with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) {
			q.Context = map[string]any{"method": "GET"}
			q.Action.Properties = map[string]any{"method": "POST"}
		}), BadRequest, CodeBadQuery, "given twice", ""},
		{"mcp context without an MCP route", with(query(frontend, "ReadOrder", "Order", "42"), func(q *Query) { q.Context = map[string]any{"mcp": map[string]any{"n": n42}} }),
			BadRequest, CodeBadQuery, "context.mcp: not a context attribute", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, ordersPolicies(t))
			d := e.Evaluate(context.Background(), tt.q)
			if d.Outcome != tt.outcome || d.Code != tt.code || !strings.Contains(d.Reason, tt.reason) {
				t.Fatalf("got %v %q %q, want %v %q ~%q", d.Outcome, d.Code, d.Reason, tt.outcome, tt.code, tt.reason)
			}
			if d.Allowed() != (tt.outcome == Allow) {
				t.Fatalf("Allowed() = %v for %v", d.Allowed(), d.Outcome)
			}
			if got := strings.Join(d.Policies, ","); got != tt.policies {
				t.Errorf("policies %q, want %q", got, tt.policies)
			}
		})
	}
}

// TestEvaluateSameAsCheck: a query naming what a routed request maps to
// gets the same decision from the same policies.
func TestEvaluateSameAsCheck(t *testing.T) {
	e := newTestEngine(t, ordersPolicies(t))
	for _, who := range []string{frontend, billing} {
		for _, id := range []string{"42", "13"} {
			r := req(who, "GET", "/orders/"+id)
			r.Headers["x-risk-score"] = "10"
			c := e.Check(context.Background(), r)
			q := query(who, "ReadOrder", "Order", id)
			q.Context = map[string]any{"method": "GET", "path": "/orders/" + id, "host": "orders.example.org", "scheme": "https", "tls": true, "risk": json.Number("10")}
			d := e.Evaluate(context.Background(), q)
			if c.Outcome != d.Outcome || c.Code != d.Code || strings.Join(c.Policies, ",") != strings.Join(d.Policies, ",") ||
				c.Action != d.Action || c.Resource != d.Resource {
				t.Errorf("%s %s: Check %v %s %v %s %s, Evaluate %v %s %v %s %s", who, id, c.Outcome, c.Code, c.Policies, c.Action, c.Resource,
					d.Outcome, d.Code, d.Policies, d.Action, d.Resource)
			}
		}
	}
}

// TestEvaluateLogAndMetrics: the same decision line, naming the
// enforcement point, and the same counter, labelled with the enforcement
// point's (verified) trust domain, never the asserted subject's.
func TestEvaluateLogAndMetrics(t *testing.T) {
	var buf bytes.Buffer
	reg := prometheus.NewRegistry()
	cfg := testConfig(t, ordersPolicies(t))
	cfg.DecisionLog = slog.New(slog.NewJSONHandler(&buf, nil))
	cfg.Registerer = reg
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := e.Evaluate(context.Background(), query("spiffe://made-up.example/ns/shop/sa/frontend", "ReadOrder", "Order", "42"))
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"decision_id": d.ID, "principal": "spiffe://made-up.example/ns/shop/sa/frontend", "identity_source": "authzen",
		"enforcement_point": pep.String(), "action": `Action::"ReadOrder"`, "resource": `Order::"42"`, "outcome": "allow", "code": "permit"}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("%s = %v, want %v (line %s)", k, line[k], v, buf.String())
		}
	}
	if c, ok := line["context"].(map[string]any); !ok || c["time"] == nil {
		t.Errorf("context with Tollgate's time missing: %s", buf.String())
	}
	labels := map[string]string{"decision": "allow", "action": "ReadOrder", "code": "permit", "trust_domain": "pep.example"}
	if v := testutil.MustValue(t, reg, "tollgate_decisions_total", labels); v != 1 {
		t.Errorf("decisions_total%v = %v, want 1", labels, v)
	}
	if _, found := testutil.Lookup(t, reg, "tollgate_decisions_total", map[string]string{"trust_domain": "made-up.example"}); found {
		t.Error("the asserted subject's trust domain reached a metric label")
	}
	buf.Reset()
	e.Evaluate(context.Background(), query(frontend, "can_read", "Order", "42"))
	if v := testutil.MustValue(t, reg, "tollgate_decisions_total", map[string]string{"action": "none", "code": CodeBadQuery}); v != 1 {
		t.Errorf("bad_query count %v, want 1", v)
	}
	if !strings.Contains(buf.String(), `"enforcement_point":"spiffe://pep.example/mcp-gateway"`) {
		t.Errorf("denial line without the enforcement point: %s", buf.String())
	}
}

// TestEvaluateFollowsManifest: after SetManifest the query shape is the
// new manifest's.
func TestEvaluateFollowsManifest(t *testing.T) {
	e := newTestEngine(t, ordersPolicies(t))
	if d := e.Evaluate(context.Background(), query(frontend, "ReadOrder", "Order", "42")); d.Code != "permit" {
		t.Fatalf("before: %s %s", d.Code, d.Reason)
	}
	e.SetManifest(nil)
	if d := e.Evaluate(context.Background(), query(frontend, "ReadOrder", "Order", "42")); d.Code != CodeBadQuery {
		t.Fatalf("after removing the manifest: %s %s", d.Code, d.Reason)
	}
}
