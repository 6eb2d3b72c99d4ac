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
