package authz

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go/x/exp/schema"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/policy"
)

// The manifest schema check knows the Txn-Token attributes: their types,
// that they are absent without a Txn-Token, and only when configured.
func TestTxnSchemaCheck(t *testing.T) {
	const base = `entity Workload, Order, User;
action A appliesTo { principal: Workload, resource: Order, context: { method: String, %s } };`
	m, err := manifest.Parse("m.yaml", []byte("routes:\n  - name: r\n    match: { path: /x }\n    action: A\n    resource: { type: Order, id: x }\n"))
	if err != nil {
		t.Fatal(err)
	}
	txn := &DelegationContext{EntityType: "User", Txn: &TxnContext{ID: true, Scope: true, TCtx: []string{"quantity"}}}
	for _, tc := range []struct {
		name, ctx string
		deleg     *DelegationContext
		want      string // "" means fits
	}{
		{"fits", "on_behalf_of?: User, txn_id?: String, txn_scope?: Set<String>, tctx?: { quantity?: Long }", txn, ""},
		{"txn_id required", "txn_id: String", txn, "context.txn_id, which is absent from some requests"},
		{"scope not a set", "txn_scope?: String", txn, "context.txn_scope is a Set<String> in requests"},
		{"unconfigured tctx member", "tctx?: { action: String }", txn, "context.tctx.action, which is not a configured claim"},
		{"txn id not configured", "txn_id?: String", &DelegationContext{EntityType: "User", Txn: &TxnContext{}}, ""},
		{"txn id not configured, required", "txn_id: String", &DelegationContext{EntityType: "User", Txn: &TxnContext{}}, "context.txn_id, which Tollgate never provides"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s schema.Schema
			if err := s.UnmarshalCedar([]byte(strings.Replace(base, "%s", tc.ctx, 1))); err != nil {
				t.Fatal(err)
			}
			res, err := s.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			err = checkManifest(m, res, mapperContext(nil, nil, tc.deleg, false))
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

// Policies reading context.tctx pass the shape check only when Txn-Tokens
// put tctx in the context.
func TestTxnShape(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"deleg.cedar": delegPols + txnExtra, "entities.json": delegEntities} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := policy.LoadDir(dir, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	with := &DelegationContext{Txn: &TxnContext{Scope: true, TCtx: []string{"quantity"}}}
	if err := CheckPolicies(snap, PolicyCheck{Manifest: ordersManifest(t), Delegation: with}); err != nil {
		t.Fatalf("with txn-tokens: %v", err)
	}
	without := &DelegationContext{}
	if err := CheckPolicies(snap, PolicyCheck{Manifest: ordersManifest(t), Delegation: without}); err == nil || !strings.Contains(err.Error(), "tctx") {
		t.Fatalf("without txn-tokens, tctx is never produced: %v", err)
	}
}
