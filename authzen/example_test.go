package authzen_test

import (
	"fmt"

	"github.com/tollgate-authz/tollgate/authzen"
)

// An evaluations request with top-level defaults: each evaluation takes
// the subject and action it does not name itself.
func ExampleParseEvaluations() {
	b, err := authzen.ParseEvaluations([]byte(`{
	  "subject": {"type": "Workload", "id": "spiffe://example.org/ns/ai/sa/agent"},
	  "action": {"name": "ReadOrder"},
	  "options": {"evaluations_semantic": "deny_on_first_deny"},
	  "evaluations": [
	    {"resource": {"type": "Order", "id": "1"}},
	    {"action": {"name": "UpdateOrder"}, "resource": {"type": "Order", "id": "2"}}
	  ]}`), authzen.DefaultMaxEvaluations)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b.Semantic)
	for _, q := range b.Queries {
		fmt.Println(q.Subject.ID, q.Action.Name, q.Resource.Type, q.Resource.ID)
	}
	_, err = authzen.ParseEvaluation([]byte(`{"subject": {"type": "Workload"}}`))
	fmt.Println(err)
	// Output:
	// deny_on_first_deny
	// spiffe://example.org/ns/ai/sa/agent ReadOrder Order 1
	// spiffe://example.org/ns/ai/sa/agent UpdateOrder Order 2
	// authzen: bad request: subject.id: required string
}
