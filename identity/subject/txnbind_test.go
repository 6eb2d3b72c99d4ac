package subject_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/tollgate-authz/tollgate/identity/subject"
)

func TestTxnFromPayload(t *testing.T) {
	const base = `"sub":"alice","txn":"t1","scope":"a b"`
	cases := []struct {
		name       string
		payload    string
		requesters []string // nil with ok: no req_wl
		ok         bool
	}{
		{"no req_wl", `{` + base + `}`, nil, true},
		{"one requester", `{` + base + `,"req_wl":"spiffe://td/gw"}`, []string{"spiffe://td/gw"}, true},
		{"replacements appended", `{` + base + `,"req_wl":"spiffe://td/gw, spiffe://td/orders"}`, []string{"spiffe://td/gw", "spiffe://td/orders"}, true},
		{"older drafts: rctx.req_wl list", `{` + base + `,"rctx":{"req_wl":["a","b"]}}`, []string{"a", "b"}, true},
		{"both agree", `{` + base + `,"req_wl":"a,b","rctx":{"req_wl":["a","b"]}}`, []string{"a", "b"}, true},
		{"both disagree", `{` + base + `,"req_wl":"a","rctx":{"req_wl":"b"}}`, nil, false},
		{"empty entry", `{` + base + `,"req_wl":"a,,b"}`, nil, false},
		{"empty string", `{` + base + `,"req_wl":""}`, nil, false},
		{"empty list", `{` + base + `,"rctx":{"req_wl":[]}}`, nil, false},
		{"non-string entry", `{` + base + `,"rctx":{"req_wl":["a",1]}}`, nil, false},
		{"too many", `{` + base + `,"req_wl":"1,2,3,4,5,6,7,8,9"}`, nil, false},
		{"rctx not object", `{` + base + `,"rctx":"x"}`, nil, false},
		{"tctx not object", `{` + base + `,"tctx":[1]}`, nil, false},
		{"txn not string", `{"sub":"alice","txn":1,"scope":"a"}`, nil, false},
		{"scope list", `{"sub":"alice","txn":"t","scope":["a"]}`, nil, false},
		{"trailing data", `{` + base + `} {}`, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := subject.TxnFromPayload([]byte(tc.payload))
			if tc.ok != (err == nil) {
				t.Fatalf("ok=%v, err=%v", tc.ok, err)
			}
			if err != nil {
				if subject.ReasonOf(err) != subject.ReasonInvalid {
					t.Fatalf("want invalid, got %v", err)
				}
				return
			}
			if !slices.Equal(s.Txn.Requesters, tc.requesters) || !slices.Equal(s.Txn.Scope, []string{"a", "b"}) {
				t.Fatalf("got %+v", s.Txn)
			}
			want := slices.Clone(tc.requesters)
			slices.Reverse(want)
			if !slices.Equal(s.Actors, want) {
				t.Fatalf("actors %v, want the requesters latest first %v", s.Actors, want)
			}
		})
	}
}

// Each binding rule: who may present a Txn-Token.
func TestBindTxn(t *testing.T) {
	const me = "spiffe://example.org/orders"
	isCaller := func(v string) bool { return v == me || v == "orders-client" }
	txn := func(req ...string) *subject.Subject {
		return &subject.Subject{ID: "alice", Txn: &subject.Txn{ID: "t", Scope: []string{"s"}, Requesters: req}}
	}
	cases := []struct {
		name     string
		s        *subject.Subject
		rule     subject.TxnBinding
		inDomain bool
		bound    bool
	}{
		{"chain: sole requester", txn(me), subject.TxnBindChain, true, true},
		{"chain: earlier requester", txn(me, "spiffe://example.org/billing"), subject.TxnBindChain, true, true},
		{"chain: mapped client id", txn("orders-client"), subject.TxnBindChain, true, true},
		{"chain: replayed by another workload", txn("spiffe://example.org/gateway"), subject.TxnBindChain, true, false},
		{"chain: no req_wl", txn(), subject.TxnBindChain, true, false},
		{"chain: caller of another trust domain", txn(me), subject.TxnBindChain, false, false},
		{"requester: latest", txn("spiffe://example.org/gateway", me), subject.TxnBindRequester, true, true},
		{"requester: only earlier", txn(me, "spiffe://example.org/billing"), subject.TxnBindRequester, true, false},
		{"requester: no req_wl", txn(), subject.TxnBindRequester, true, false},
		{"trust_domain: anyone inside", txn("spiffe://example.org/gateway"), subject.TxnBindTrustDomain, true, true},
		{"trust_domain: no req_wl", txn(), subject.TxnBindTrustDomain, true, true},
		{"trust_domain: caller outside", txn(me), subject.TxnBindTrustDomain, false, false},
		{"not a txn-token", &subject.Subject{ID: "alice", Actors: []string{me}}, subject.TxnBindTrustDomain, true, false},
		{"unknown rule", txn(me), subject.TxnBinding("any"), true, false},
		{"zero rule", txn(me), "", true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := subject.BindTxn(tc.s, tc.rule, tc.inDomain, isCaller)
			if tc.bound != (err == nil) {
				t.Fatalf("bound=%v, err=%v", tc.bound, err)
			}
			if err != nil && (!errors.Is(err, subject.ErrUnbound) || subject.ReasonOf(err) != subject.ReasonUnbound) {
				t.Fatalf("want unbound, got %v", err)
			}
		})
	}
}

func TestParseTxnBinding(t *testing.T) {
	for _, s := range []string{"chain", "requester", "trust_domain"} {
		if b, err := subject.ParseTxnBinding(s); err != nil || string(b) != s {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"", "Chain", "act", "none"} {
		if _, err := subject.ParseTxnBinding(s); !errors.Is(err, subject.ErrConfig) {
			t.Errorf("%q accepted: %v", s, err)
		}
	}
}
