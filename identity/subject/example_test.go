package subject_test

import (
	"fmt"

	"github.com/tollgate-authz/tollgate/identity/subject"
)

// A token exchanged twice names the current actor first. It is bound to
// the workload that presents it when that workload is the outermost actor.
func ExampleBind() {
	s, err := subject.FromPayload([]byte(`{"sub":"alice","client_id":"planner",
		"act":{"sub":"spiffe://example.org/agent","act":{"sub":"spiffe://example.org/planner"}}}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(s.ID, s.Actors)
	order := []subject.Claim{subject.BindAct, subject.BindAZP, subject.BindClientID}
	fmt.Println(subject.Bind(s, order, func(v string) bool { return v == "spiffe://example.org/agent" }) == nil)
	err = subject.Bind(s, order, func(v string) bool { return v == "spiffe://example.org/planner" })
	fmt.Println(subject.ReasonOf(err))
	// Output:
	// alice [spiffe://example.org/agent spiffe://example.org/planner]
	// true
	// unbound
}
