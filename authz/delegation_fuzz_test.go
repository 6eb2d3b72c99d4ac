package authz

import (
	"testing"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/identity/subject"
)

// FuzzDelegationContext: the token-to-context conversion (a verified
// token's payload through FromPayload, Bind and addDelegation) never
// panics, and what reaches the context has the declared shape: a subject
// entity of the configured type, the chain as a set of its length, and
// only the configured claims.
func FuzzDelegationContext(f *testing.F) {
	f.Add([]byte(`{"sub":"alice","azp":"spiffe://example.org/a","email":"a@x","acr":2}`))
	f.Add([]byte(`{"sub":"u","act":{"sub":"b","act":{"sub":"a"}}}`))
	f.Add([]byte(`{"sub":"u","act":{"sub":"b","act":{"sub":7}}}`))
	f.Add([]byte(`{"sub":"u","client_id":"c","email":["x",1],"acr":1.5}`))
	f.Add([]byte(`{"sub":"\u0000\"","act":null}`))
	claims := []string{"email", "acr"}
	f.Fuzz(func(t *testing.T, payload []byte) {
		s, err := subject.FromPayload(payload)
		if err != nil {
			if subject.ReasonOf(err) != subject.ReasonInvalid {
				t.Fatalf("a malformed payload must be invalid: %v", err)
			}
			return
		}
		_ = subject.Bind(s, []subject.Claim{subject.BindAct, subject.BindAZP, subject.BindClientID},
			func(v string) bool { return v == "spiffe://example.org/a" })
		if len(s.Actors) > subject.MaxActors {
			t.Fatalf("chain of %d accepted", len(s.Actors))
		}
		dl := &delegated{entity: types.Entity{UID: types.NewEntityUID(DefaultSubjectType, types.String(s.ID))}, actors: s.Actors, claims: s.Claims}
		ctx := types.RecordMap{}
		addDelegation(ctx, dl, claims, nil)
		rec := types.NewRecord(ctx)
		obo, _ := rec.Get("on_behalf_of")
		if uid, ok := obo.(types.EntityUID); !ok || uid.Type != DefaultSubjectType || string(uid.ID) != s.ID {
			t.Fatalf("on_behalf_of %v", obo)
		}
		set, _ := ctx["delegation"].(types.Set)
		if n, _ := ctx["delegation_length"].(types.Long); int(n) != len(s.Actors) || set.Len() > len(s.Actors) {
			t.Fatalf("delegation %v length %v for %v", set, n, s.Actors)
		}
		sub, _ := ctx["subject"].(types.Record)
		for k := range sub.All() {
			if k != "email" && k != "acr" {
				t.Fatalf("unconfigured claim %q in context", k)
			}
		}
	})
}
