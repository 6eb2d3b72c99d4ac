package subject_test

import (
	"errors"
	"testing"

	"github.com/tollgate-authz/tollgate/identity/subject"
)

// TestBindRefusesSelf: a token whose sub names the caller itself (its
// SPIFFE ID or a client id mapped to it) is the workload's own token, as
// a client_credentials grant issues (RFC 9068: sub is the client id). It
// acts for no one, so it must not make the caller its own user: with it,
// a policy requiring a user ("context has on_behalf_of") would hold for
// a workload acting alone.
func TestBindRefusesSelf(t *testing.T) {
	all := []subject.Claim{subject.BindAct, subject.BindAZP, subject.BindClientID}
	for name, s := range map[string]subject.Subject{
		"client_credentials: sub is the client id":        {ID: "agent-client", ClientID: "agent-client"},
		"sub is the caller's SPIFFE ID, azp too":          {ID: caller, AZP: caller},
		"sub is a mapped client id, bound by azp":         {ID: "agent-client", AZP: caller},
		"sub is the caller, bound by act":                 {ID: caller, Actors: []string{"agent-client"}},
		"sub is the caller's SPIFFE ID, mapped client_id": {ID: caller, ClientID: "agent-client"},
	} {
		t.Run(name, func(t *testing.T) {
			err := subject.Bind(&s, all, isCaller)
			if !errors.Is(err, subject.ErrUnbound) || subject.ReasonOf(err) != subject.ReasonUnbound {
				t.Fatalf("want unbound, got %v", err)
			}
		})
	}
	if err := subject.Bind(&subject.Subject{ID: "alice", ClientID: "agent-client"}, all, isCaller); err != nil {
		t.Fatalf("a user's token: %v", err)
	}
}
