package policy_test

import (
	"fmt"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/policy"
)

func Example() {
	snap, err := policy.LoadDir("testdata/basic", policy.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	store := policy.NewStore(nil)
	store.Swap(snap)

	// The mapper builds the principal and resource per request; alice's
	// team membership comes from IAM's entity data.
	alice := types.NewEntityUID("User", "alice")
	order := types.NewEntityUID("Order", "42")
	d := store.Evaluate(cedar.Request{
		Principal: alice,
		Action:    types.NewEntityUID("Action", "read"),
		Resource:  order,
		Context:   types.NewRecord(nil),
	}, types.Entity{UID: alice}, types.Entity{UID: order})
	fmt.Println(d.Allow, d.Reason, d.Determining)
	// Output: true permit [org-read]
}

func ExampleLoad_errors() {
	_, err := policy.LoadDir("testdata/dup_id", policy.Options{})
	fmt.Println(err)
	// Output: policy: sub/b.cedar:3:1: policy @id("same"): duplicate @id: first defined at a.cedar:1:1; every @id must be unique
}

func ExampleNewWatcher() {
	store := policy.NewStore(nil)
	w, err := policy.NewWatcher(store, policy.WatcherOptions{Dir: "testdata/basic"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer w.Close()
	fmt.Println(store.Current().Len(), "policies in force")
	// Output: 6 policies in force
}
