package subject_test

import (
	"context"
	"testing"

	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/internal/testca"
)

// FuzzVerify: whatever arrives in the header, Verify never panics, and
// refuses with a bounded reason anything the issuer did not sign.
func FuzzVerify(f *testing.F) {
	is := testca.NewIssuer(f)
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{
		{URL: is.URL, Audiences: []string{"tollgate"}, Algs: []string{"ES256"}}}})
	if err != nil {
		f.Fatal(err)
	}
	good := is.Token(map[string]any{"sub": "alice", "aud": "tollgate"})
	f.Add(good)
	f.Add("Bearer " + good)
	f.Add("eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.")
	f.Add(good + "," + good)
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := v.Verify(context.Background(), raw)
		if err == nil {
			if s.ID == "" {
				t.Fatal("accepted a subject without sub")
			}
			return
		}
		switch subject.ReasonOf(err) {
		case subject.ReasonInvalid, subject.ReasonExpired, subject.ReasonNotYet, subject.ReasonIssuer, subject.ReasonAudience:
		default:
			t.Fatalf("unbounded reason: %v", err)
		}
	})
}

// FuzzTxnFromPayload: any payload either yields a Txn-Token subject with
// its required claims and at most MaxActors requesters, mirrored in
// Actors, or a refusal with ReasonInvalid; never a panic.
func FuzzTxnFromPayload(f *testing.F) {
	f.Add(`{"sub":"alice","txn":"t","scope":"a","req_wl":"a,b","tctx":{"k":"v"}}`)
	f.Add(`{"sub":"alice","txn":"t","scope":"a","rctx":{"req_wl":["a","b"]}}`)
	f.Add(`{"sub":"alice","txn":"t","scope":"a","req_wl":"a","rctx":{"req_wl":"a"}}`)
	f.Add(`{"sub":"","txn":null}`)
	f.Fuzz(func(t *testing.T, payload string) {
		s, err := subject.TxnFromPayload([]byte(payload))
		if err != nil {
			if subject.ReasonOf(err) != subject.ReasonInvalid {
				t.Fatalf("unbounded reason: %v", err)
			}
			return
		}
		if s.ID == "" || s.Txn == nil || s.Txn.ID == "" || len(s.Txn.Scope) == 0 {
			t.Fatalf("accepted without sub, txn or scope: %+v", s)
		}
		if n := len(s.Txn.Requesters); n > subject.MaxActors || n != len(s.Actors) {
			t.Fatalf("requesters %v, actors %v", s.Txn.Requesters, s.Actors)
		}
		for i, r := range s.Txn.Requesters {
			if r == "" || s.Actors[len(s.Actors)-1-i] != r {
				t.Fatalf("requesters %v, actors %v", s.Txn.Requesters, s.Actors)
			}
		}
	})
}

// FuzzVerifyTxn: whatever arrives in the Txn-Token header, Verify never
// panics, and refuses with a bounded reason anything the token service
// did not sign as a Txn-Token for this trust domain.
func FuzzVerifyTxn(f *testing.F) {
	is := testca.NewIssuer(f)
	v, err := subject.NewTxn(context.Background(), subject.TxnConfig{Issuer: is.URL, Audience: "example.org", Algs: []string{"ES256"}})
	if err != nil {
		f.Fatal(err)
	}
	good := is.TxnToken(map[string]any{"sub": "alice", "aud": "example.org", "txn": "t", "scope": "s", "req_wl": "a"})
	f.Add(good)
	f.Add("Bearer " + good)
	f.Add(good + "," + good)
	f.Add("eyJhbGciOiJub25lIiwidHlwIjoidHhudG9rZW4rand0In0.eyJzdWIiOiJ4In0.")
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := v.Verify(context.Background(), raw)
		if err == nil {
			if s.ID == "" || s.Txn == nil || s.Txn.ID == "" {
				t.Fatal("accepted a Txn-Token without sub or txn")
			}
			return
		}
		switch subject.ReasonOf(err) {
		case subject.ReasonInvalid, subject.ReasonExpired, subject.ReasonNotYet, subject.ReasonIssuer, subject.ReasonAudience, subject.ReasonLifetime:
		default:
			t.Fatalf("unbounded reason: %v", err)
		}
	})
}
