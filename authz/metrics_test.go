package authz

import (
	"context"
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	cfg := testConfig(t, ordersPolicies(t))
	cfg.Registerer = reg
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, r := range []*Request{
		req(frontend, "GET", "/orders/42"),
		req(frontend, "GET", "/orders/42"),
		req(frontend, "GET", "/orders/13"),
		req(frontend, "GET", "/x/"+frontend), // no route: raw path never a label
		req("expired", "GET", "/orders/42"),
		req("spiffe://attacker.example/evil", "DELETE", "/orders/42"),
	} {
		e.Check(ctx, r)
	}
	if got := testutil.CounterValue(t, e.metrics.decisions.WithLabelValues("allow", "ReadOrder", "permit", "example.org")); got != 2 {
		t.Errorf("allow count = %v", got)
	}
	if got := testutil.CounterValue(t, e.metrics.decisions.WithLabelValues("unauthenticated", "none", "identity_expired", "none")); got != 1 {
		t.Errorf("unauthenticated count = %v", got)
	}
	if got := testutil.CounterValue(t, e.metrics.decisions.WithLabelValues("forbidden", "none", "no_route", "attacker.example")); got != 1 {
		t.Errorf("no_route count = %v", got)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	actions := append(e.Manifest().Actions(), "none")
	for _, f := range families {
		if f.GetName() == "tollgate_check_duration_seconds" {
			if n := f.GetMetric()[0].GetHistogram().GetSampleCount(); n != 6 {
				t.Errorf("histogram samples = %d", n)
			}
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				v := l.GetValue()
				switch l.GetName() {
				case "action":
					if !slices.Contains(actions, v) {
						t.Errorf("unbounded action label %q", v)
					}
				case "code":
					if c, ok := ParseCode(v); !ok || c.String() != v {
						t.Errorf("unbounded code label %q", v)
					}
				case "trust_domain":
					if v != "example.org" && v != "attacker.example" && v != "none" {
						t.Errorf("trust_domain label %q", v)
					}
				}
			}
		}
	}
	if _, err := NewEngine(cfg); err == nil {
		t.Fatal("registering twice must fail")
	}
}
