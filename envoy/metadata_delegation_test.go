package envoy

import (
	"testing"

	"github.com/tollgate-authz/tollgate/authz"
)

// The dynamic metadata names the subject and the act chain of a delegated
// decision, and nothing of them without one.
func TestDynamicMetadataDelegation(t *testing.T) {
	d := &authz.Decision{ID: "x", Outcome: authz.Allow, Subject: `User::"alice"`,
		Delegation: []string{"spiffe://example.org/agent", "spiffe://example.org/planner"}}
	md := dynamicMetadata(d).AsMap()
	chain, _ := md["delegation"].([]any)
	if md["subject"] != `User::"alice"` || len(chain) != 2 || chain[0] != "spiffe://example.org/agent" {
		t.Fatalf("metadata %v", md)
	}
	md = dynamicMetadata(&authz.Decision{ID: "y"}).AsMap()
	if _, ok := md["subject"]; ok {
		t.Fatalf("subject without delegation: %v", md)
	}
}

// A Txn-Token's transaction id reaches the metadata; nothing without one.
func TestDynamicMetadataTxn(t *testing.T) {
	d := &authz.Decision{ID: "x", Outcome: authz.Allow, Subject: `User::"alice"`, Txn: "97053963-771d",
		Delegation: []string{"spiffe://example.org/agent"}}
	if md := dynamicMetadata(d).AsMap(); md["txn"] != "97053963-771d" {
		t.Fatalf("metadata %v", md)
	}
	if md := dynamicMetadata(&authz.Decision{ID: "y", Subject: `User::"alice"`}).AsMap(); md["txn"] != nil {
		t.Fatalf("txn without a Txn-Token: %v", md)
	}
}
