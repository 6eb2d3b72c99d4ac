package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// genScaled generates n policies spread over n/10+1 actions, each scoped to
// one action and one team, like per-route policies at scale.
func genScaled(n int) map[string]string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "@id(\"p%d\")\npermit (principal in Team::\"t%d\", action == Action::\"a%d\", resource is Order)\nwhen { resource has owner && resource.owner == principal };\n\n",
			i, i%50, i%(n/10+1))
	}
	b.WriteString("@id(\"deny-frozen\")\nforbid (principal, action, resource is Order) when { resource has frozen && resource.frozen };\n")
	return map[string]string{"gen.cedar": b.String(),
		"entities.json": `[{"uid": {"type": "User", "id": "alice"}, "attrs": {}, "parents": [{"type": "Team", "id": "t0"}]},
		 {"uid": {"type": "Team", "id": "t0"}, "attrs": {}, "parents": [{"type": "Org", "id": "acme"}]}]`}
}

func BenchmarkEvaluate(b *testing.B) {
	alice, order := uid("User", "alice"), uid("Order", "42")
	resource := types.Entity{UID: order, Attributes: types.NewRecord(types.RecordMap{"owner": alice})}
	cases := []struct {
		name   string
		load   func() (*Snapshot, error)
		action string
	}{
		{"quickstart", func() (*Snapshot, error) { return LoadDir("testdata/basic", Options{}) }, "read"},
		{"100", func() (*Snapshot, error) { return Load(mapFS(genScaled(100)), Options{}) }, "a0"},
		{"10000", func() (*Snapshot, error) { return Load(mapFS(genScaled(10000)), Options{}) }, "a0"},
	}
	for _, c := range cases {
		s, err := c.load()
		if err != nil {
			b.Fatal(err)
		}
		r := req(alice, uid("Action", c.action), order, nil)
		if d := s.Evaluate(r, resource); !d.Allow {
			b.Fatalf("%s: benchmark request denied: %+v", c.name, d)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Evaluate(r, resource)
			}
		})
		b.Run(c.name+"/full-scan", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.evaluateAll(r, resource)
			}
		})
	}
}

// BenchmarkEvaluateQuickstart evaluates the quickstart's allowed request
// (the storefront reading an order) against examples/quickstart/policies,
// with the principal and resource overlaid as the engine does.
func BenchmarkEvaluateQuickstart(b *testing.B) {
	s, err := LoadDir("../examples/quickstart/policies", Options{})
	if err != nil {
		b.Fatal(err)
	}
	frontend := uid("Workload", "spiffe://example.org/ns/shop/sa/frontend")
	principal := types.Entity{UID: frontend, Attributes: types.NewRecord(types.RecordMap{
		"trust_domain": types.String("example.org"), "path": types.String("/ns/shop/sa/frontend"),
		"namespace": types.String("shop"), "service_account": types.String("frontend"),
	})}
	resource := types.Entity{UID: uid("Order", "42")}
	r := req(frontend, uid("Action", "ReadOrder"), resource.UID, types.RecordMap{
		"method": types.String("GET"), "path": types.String("/orders/42"), "tls": types.True,
	})
	if d := s.Evaluate(r, principal, resource); !d.Allow {
		b.Fatalf("benchmark request denied: %+v", d)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Evaluate(r, principal, resource)
	}
}
