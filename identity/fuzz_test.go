package identity

import (
	"errors"
	"slices"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// FuzzVerify feeds arbitrary peer certificates, principals and
// Authorization headers: Verify must never panic, and must return either a
// bounded *Error and no identity, or a trusted identity and no error.
func FuzzVerify(f *testing.F) {
	e := newEnv(f, func(c *Config) { c.TrustSourcePrincipal = true })
	f.Add(e.ca.NewX509SVID("/svc").EnvoyLeaf(), "", "")
	f.Add(e.ca.NewIntermediate().NewX509SVID("/i").EnvoyChain(), "", "")
	f.Add("", "spiffe://example.org/p", "")
	f.Add("", "", "Bearer "+e.ca.NewJWTSVID("/svc", testAud))
	f.Add("", "", "Bearer "+e.ca.NewJWTAlgNone("/svc", testAud))
	f.Add("", "", "bearer a.b.c")
	f.Add("%2", "spiffe://", "Basic x")
	f.Fuzz(func(t *testing.T, cert, principal, auth string) {
		id, err := e.verify(Credentials{PeerCertificate: cert, SourcePrincipal: principal, Authorization: auth})
		if err != nil {
			var ie *Error
			if !errors.As(err, &ie) || !slices.Contains(allReasons, ie.Reason) {
				t.Fatalf("error %v is not a bounded *Error", err)
			}
			if id.ID != (spiffeid.ID{}) {
				t.Fatalf("error %v returned with identity %v", err, id.ID)
			}
			return
		}
		if id.ID.IsZero() || !e.v.trustedDomain(id.ID.TrustDomain()) {
			t.Fatalf("nil error without a trusted identity: %+v", id)
		}
		if !slices.Contains([]Source{SourceX509, SourcePrincipal, SourceJWT}, id.Source) {
			t.Fatalf("unexpected source %q", id.Source)
		}
	})
}
