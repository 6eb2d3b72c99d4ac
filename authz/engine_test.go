package authz

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/policy"
)

// TestEngineCheck runs with the in-test cedar policies and with the real
// policy package loading the same file.
func TestEngineCheck(t *testing.T) {
	snap, err := policy.LoadDir("testdata/policies", policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, pol := range map[string]Policies{"fake": ordersPolicies(t), "policy": snap} {
		t.Run(name, func(t *testing.T) { testEngineCheck(t, newTestEngine(t, pol)) })
	}
}

func testEngineCheck(t *testing.T, e *Engine) {
	grpcReq := req(frontend, "POST", "/acme.orders.v1.Orders/ListOrders")
	grpcReq.Headers["content-type"] = "application/grpc+proto"
	spoofed := req(billing, "GET", "/orders/42")
	spoofed.Headers["x-spiffe-id"] = frontend
	spoofed.Headers["x-forwarded-client-cert"] = "URI=" + frontend
	risky := req(frontend, "GET", "/orders/42")
	risky.Headers["x-risk-score"] = "90"
	badRisk := req(frontend, "GET", "/orders/42")
	badRisk.Headers["x-risk-score"] = "ninety"
	lowRisk := req(frontend, "GET", "/orders/42")
	lowRisk.Headers["x-risk-score"] = "10"
	plain := req(billing, "PUT", "/orders/42")
	plain.TLS = false

	tests := []struct {
		name     string
		r        *Request
		outcome  Outcome
		code     string
		policies []string
		action   string
		resource string
	}{
		{"allow", req(frontend, "GET", "/orders/42"), Allow, "permit", []string{"frontend-reads-orders"}, `Action::"ReadOrder"`, `Order::"42"`},
		{"allow with query", req(frontend, "GET", "/orders/42?admin=true"), Allow, "permit", []string{"frontend-reads-orders"}, `Action::"ReadOrder"`, `Order::"42"`},
		{"forbid", req(frontend, "GET", "/orders/13"), Forbidden, "forbid", []string{"no-order-13"}, `Action::"ReadOrder"`, `Order::"13"`},
		{"no permit", req(frontend, "PUT", "/orders/42"), Forbidden, "no_permit", nil, `Action::"UpdateOrder"`, `Order::"42"`},
		{"context tls", req(billing, "PUT", "/orders/42"), Allow, "permit", []string{"billing-updates-orders"}, `Action::"UpdateOrder"`, `Order::"42"`},
		{"context no tls", plain, Forbidden, "no_permit", nil, `Action::"UpdateOrder"`, `Order::"42"`},
		{"no route", req(frontend, "DELETE", "/orders/42"), Forbidden, "no_route", nil, "", ""},
		{"traversal refused", req(frontend, "GET", "/orders/../secret"), BadRequest, "bad_path", nil, "", ""},
		{"encoded slash", req(frontend, "GET", "/orders%2F42"), BadRequest, "bad_path", nil, "", ""},
		{"double encoded dots refused", req(frontend, "GET", "/orders/%252e%252e"), BadRequest, "bad_path", nil, "", ""},
		{"missing identity", req("", "GET", "/orders/42"), Unauthenticated, "identity_missing", nil, "", ""},
		{"expired identity", req("expired", "GET", "/orders/42"), Unauthenticated, "identity_expired", nil, "", ""},
		{"unknown identity reason", req("weird", "GET", "/orders/42"), Unauthenticated, "identity_internal", nil, "", ""},
		{"spoofed header ignored", spoofed, Forbidden, "no_permit", nil, `Action::"ReadOrder"`, `Order::"42"`},
		{"risky signal", risky, Forbidden, "forbid", []string{"low-risk-only"}, `Action::"ReadOrder"`, `Order::"42"`},
		{"low risk signal", lowRisk, Allow, "permit", []string{"frontend-reads-orders"}, `Action::"ReadOrder"`, `Order::"42"`},
		{"bad signal", badRisk, BadRequest, "bad_signal", nil, `Action::"ReadOrder"`, ""},
		{"grpc", grpcReq, Allow, "permit", []string{"grpc-calls"}, `Orders::Action::"call"`, `GrpcMethod::"acme.orders.v1.Orders/ListOrders"`},
		{"nil request", nil, BadRequest, "bad_request", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := e.Check(context.Background(), tt.r)
			if d.Outcome != tt.outcome || d.Code.String() != tt.code {
				t.Fatalf("got %s/%s (%s), want %s/%s", d.Outcome, d.Code, d.Detail, tt.outcome, tt.code)
			}
			if d.Allowed() != (tt.outcome == Allow) {
				t.Error("Allowed() disagrees with Outcome")
			}
			if !slices.Equal(d.Policies, tt.policies) || d.Action != tt.action || d.Resource != tt.resource {
				t.Errorf("policies %q action %q resource %q", d.Policies, d.Action, d.Resource)
			}
			if d.ID == "" || d.Detail == "" {
				t.Errorf("ID %q Reason %q must be set", d.ID, d.Detail)
			}
			if tt.outcome == Unauthenticated && d.Identity != nil {
				t.Error("identity set on an unauthenticated decision")
			}
		})
	}
	if d := e.Check(context.Background(), spoofed); d.Identity == nil || d.Identity.ID.String() != billing {
		t.Fatalf("principal must come from the Identifier only, got %+v", d.Identity)
	}
	if d := e.Check(context.Background(), grpcReq); !d.GRPC || d.PolicyVersion == "" {
		t.Fatalf("GRPC %v version %q", d.GRPC, d.PolicyVersion)
	}
}

// scripted returns a fixed policy.Decision, or panics.
type scripted struct {
	d     policy.Decision
	panic bool
}

func (s scripted) Evaluate(cedar.Request, ...types.Entity) policy.Decision {
	if s.panic {
		panic("boom")
	}
	return s.d
}

func (s scripted) Version() string { return s.d.Version }

func TestEnginePolicyOutcomes(t *testing.T) {
	tests := []struct {
		name    string
		pol     Policies
		outcome Outcome
		code    string
	}{
		{"no snapshot", cedarPolicies{}, Unavailable, "no_snapshot"},
		{"erroring forbid denies", loadPolicies(t, `@id("all") permit(principal, action, resource);
@id("broken") forbid(principal, action, resource) when { context.nope == 1 };`), Forbidden, "forbid_error"},
		{"erroring permit never allows", loadPolicies(t, `@id("broken") permit(principal, action, resource) when { context.nope == 1 };`), Forbidden, "no_permit"},
		{"allow with forbid error", scripted{d: policy.Decision{Allow: true, Reason: policy.ReasonPermit, Errors: []policy.EvalError{{PolicyID: "f", Forbid: true}}}}, Forbidden, "forbid_error"},
		{"allow without reason", scripted{d: policy.Decision{Allow: true}}, Unavailable, "internal"},
		{"deny with permit reason", scripted{d: policy.Decision{Reason: policy.ReasonPermit}}, Unavailable, "internal"},
		{"invalid request", scripted{d: policy.Decision{Reason: policy.ReasonInvalidRequest}}, BadRequest, "invalid_request"},
		{"panic denies", scripted{panic: true}, Unavailable, "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newTestEngine(t, tt.pol).Check(context.Background(), req(frontend, "GET", "/orders/42"))
			if d.Outcome != tt.outcome || d.Code.String() != tt.code {
				t.Fatalf("got %s/%s (%s), want %s/%s", d.Outcome, d.Code, d.Detail, tt.outcome, tt.code)
			}
		})
	}
}

func TestEngineSelfResource(t *testing.T) {
	m, err := manifest.Parse("self.yaml", []byte("routes:\n  - match: {path: '/workloads/{id...}'}\n    action: Inspect\n    resource: {type: Workload, id: 'spiffe://{id}'}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got int
	e := newTestEngine(t, policyFunc(func(_ cedar.Request, extra ...types.Entity) policy.Decision {
		got = len(extra)
		return policy.Decision{Allow: true, Reason: policy.ReasonPermit}
	}))
	e.SetManifest(m)
	if d := e.Check(context.Background(), req(frontend, "GET", "/workloads/example.org/ns/shop/sa/frontend")); !d.Allowed() || got != 1 {
		t.Fatalf("decision %s/%s, %d extra entities; want the principal once", d.Outcome, d.Code, got)
	}
}

type policyFunc func(cedar.Request, ...types.Entity) policy.Decision

func (f policyFunc) Evaluate(r cedar.Request, extra ...types.Entity) policy.Decision {
	return f(r, extra...)
}

func (f policyFunc) Version() string { return "" }

func TestEngineSetManifest(t *testing.T) {
	e := newTestEngine(t, ordersPolicies(t))
	e.SetManifest(nil)
	if d := e.Check(context.Background(), req(frontend, "GET", "/orders/42")); d.Code.String() != "no_route" {
		t.Fatalf("nil manifest: %s", d.Code)
	}
	e.SetManifest(ordersManifest(t))
	if d := e.Check(context.Background(), req(frontend, "GET", "/orders/42")); !d.Allowed() {
		t.Fatalf("after reload: %s", d.Code)
	}
	e.SetManifest(&manifest.Manifest{})
	if d := e.Check(context.Background(), req(frontend, "GET", "/orders/42")); d.Code.String() != "no_route" {
		t.Fatalf("zero manifest: %s", d.Code)
	}
}

func TestNewEngineErrors(t *testing.T) {
	base := testConfig(t, ordersPolicies(t))
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"no identifier", func(c *Config) { c.Identifier = nil }},
		{"no policies", func(c *Config) { c.Policies = nil }},
		{"no manifest", func(c *Config) { c.Manifest = nil }},
		{"reserved signal", func(c *Config) { c.Signals = []Signal{{Name: "path", From: FromHeader, Key: "x", Type: TypeString}} }},
		{"bad signal source", func(c *Config) { c.Signals = []Signal{{Name: "x", From: "query", Key: "x", Type: TypeString}} }},
		{"bad signal type", func(c *Config) { c.Signals = []Signal{{Name: "x", From: FromHeader, Key: "x", Type: "float"}} }},
		{"duplicate signal", func(c *Config) {
			c.Signals = []Signal{{Name: "x", From: FromHeader, Key: "a", Type: TypeString}, {Name: "x", From: FromHeader, Key: "b", Type: TypeString}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			tt.edit(&c)
			if _, err := NewEngine(c); !errors.Is(err, ErrConfig) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestDecisionIDsUnique(t *testing.T) {
	e := newTestEngine(t, ordersPolicies(t))
	seen := map[string]bool{}
	for range 1000 {
		id := e.Check(context.Background(), req(frontend, "GET", "/orders/42")).ID
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
	}
}

// TestEngineConcurrent is for `go test -race`: checks run while the
// manifest is swapped.
func TestEngineConcurrent(t *testing.T) {
	e := newTestEngine(t, ordersPolicies(t))
	m := ordersManifest(t)
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 50 {
			e.SetManifest(m)
		}
	})
	failures := make(chan string, 200)
	for range 4 {
		wg.Go(func() {
			for range 50 {
				if d := e.Check(context.Background(), req(frontend, "GET", "/orders/42")); !d.Allowed() {
					failures <- d.Code.String()
				}
			}
		})
	}
	wg.Wait()
	close(failures)
	for code := range failures {
		t.Errorf("denied: %s", code)
	}
}
