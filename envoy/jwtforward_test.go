package envoy

import (
	"context"
	"slices"
	"testing"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"

	"github.com/tollgate-authz/tollgate/identity"
)

// TestVerifiedJWTSVIDNotForwarded: the JWT-SVID Tollgate verified as the
// caller's identity is a bearer credential for Tollgate's audience. Passed
// on, any upstream could replay it to every service behind Tollgate until
// it expires, so an allow removes Authorization from the upstream request
// (as Envoy's jwt_authn does by default), unless identity.jwt.forward says
// the upstream needs it. A token that was not the identity stays.
func TestVerifiedJWTSVIDNotForwarded(t *testing.T) {
	for _, tc := range []struct {
		name    string
		source  identity.Source
		forward bool
		removed bool
	}{
		{"jwt identity", identity.SourceJWT, false, true},
		{"jwt identity, forward", identity.SourceJWT, true, false},
		{"x509 identity", identity.SourceX509, false, false},
		{"xfcc identity", identity.SourceXFCC, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := allowDecision()
			d.Identity.Source = tc.source
			client := dial(t, NewServer(&recorder{Decision: d}, Options{ForwardJWT: tc.forward}))
			resp, err := client.Check(context.Background(), &authv3.CheckRequest{})
			if err != nil {
				t.Fatal(err)
			}
			got := slices.Contains(resp.GetOkResponse().GetHeadersToRemove(), "authorization")
			if got != tc.removed {
				t.Fatalf("authorization removed = %v, want %v (%v)", got, tc.removed, resp.GetOkResponse())
			}
		})
	}
}
