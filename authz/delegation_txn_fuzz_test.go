package authz

import (
	"testing"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/identity/subject"
)

// FuzzTxnContext: the Txn-Token-to-context conversion (a verified token's
// payload through TxnFromPayload, BindTxn and addDelegation) never
// panics, and what reaches the context is what mapperContext describes:
// no key it does not name, txn_id the token's txn, txn_scope a set of
// strings, tctx only the configured members, typed.
func FuzzTxnContext(f *testing.F) {
	f.Add([]byte(`{"sub":"alice","txn":"t1","scope":"a b","req_wl":"spiffe://example.org/a","tctx":{"action":"BUY","quantity":100}}`))
	f.Add([]byte(`{"sub":"u","txn":"t","scope":"s","rctx":{"req_wl":["b","a"]},"tctx":{"action":["x",1],"quantity":1.5}}`))
	f.Add([]byte(`{"sub":"u","txn":"t","scope":"s","tctx":{"action":{"nested":true}}}`))
	f.Add([]byte(`{"sub":"\u0000","txn":"\"","scope":" x "}`))
	tc := &TxnContext{ID: true, Scope: true, TCtx: []string{"action", "quantity"}}
	described := mapperContext(nil, nil, &DelegationContext{EntityType: DefaultSubjectType, Txn: tc}, false)
	f.Fuzz(func(t *testing.T, payload []byte) {
		s, err := subject.TxnFromPayload(payload)
		if err != nil {
			if subject.ReasonOf(err) != subject.ReasonInvalid {
				t.Fatalf("a malformed payload must be invalid: %v", err)
			}
			return
		}
		_ = subject.BindTxn(s, subject.TxnBindChain, true, func(v string) bool { return v == "spiffe://example.org/a" })
		dl := &delegated{entity: types.Entity{UID: types.NewEntityUID(DefaultSubjectType, types.String(s.ID))},
			actors: s.Actors, claims: s.Claims, txn: s.Txn}
		ctx := types.RecordMap{}
		addDelegation(ctx, dl, nil, tc)
		for k := range ctx {
			if _, ok := described[string(k)]; !ok {
				t.Fatalf("context.%s is not in the described shape", k)
			}
		}
		if id, _ := ctx["txn_id"].(types.String); string(id) != s.Txn.ID {
			t.Fatalf("txn_id %v, want %q", ctx["txn_id"], s.Txn.ID)
		}
		scope, ok := ctx["txn_scope"].(types.Set)
		if !ok || scope.Len() == 0 || scope.Len() > len(s.Txn.Scope) {
			t.Fatalf("txn_scope %v for %v", ctx["txn_scope"], s.Txn.Scope)
		}
		if n, _ := ctx["delegation_length"].(types.Long); int(n) != len(s.Txn.Requesters) {
			t.Fatalf("delegation_length %d for req_wl %v", n, s.Txn.Requesters)
		}
		rec, ok := ctx["tctx"].(types.Record)
		if !ok {
			t.Fatalf("tctx %v", ctx["tctx"])
		}
		for k, v := range rec.All() {
			if k != "action" && k != "quantity" {
				t.Fatalf("unconfigured tctx member %q in context", k)
			}
			switch v.(type) {
			case types.String, types.Long, types.Boolean, types.Set:
			default:
				t.Fatalf("tctx.%s is a %T", k, v)
			}
		}
	})
}
