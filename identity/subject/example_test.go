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

// A Txn-Token names the workloads its token service issued it to in
// req_wl; the latest requester comes first in Actors. Under the chain
// rule any of them may present it; another workload may not.
func ExampleBindTxn() {
	s, err := subject.TxnFromPayload([]byte(`{"sub":"alice","txn":"97053963","scope":"orders.read",
		"req_wl":"spiffe://example.org/gateway,spiffe://example.org/orders"}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(s.ID, s.Txn.ID, s.Actors)
	is := func(id string) func(string) bool { return func(v string) bool { return v == id } }
	fmt.Println(subject.BindTxn(s, subject.TxnBindChain, true, is("spiffe://example.org/gateway")) == nil)
	fmt.Println(subject.ReasonOf(subject.BindTxn(s, subject.TxnBindRequester, true, is("spiffe://example.org/gateway"))))
	fmt.Println(subject.ReasonOf(subject.BindTxn(s, subject.TxnBindChain, true, is("spiffe://example.org/billing"))))
	// Output:
	// alice 97053963 [spiffe://example.org/orders spiffe://example.org/gateway]
	// true
	// unbound
	// unbound
}
