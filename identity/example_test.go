package identity_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity"
)

// A Verifier trusting the proxy's source principal for example.org. With
// X509Bundles or JWTBundles set (e.g. from NewFileBundles), forwarded
// certificates and JWT-SVIDs are verified the same way.
func ExampleVerifier_Verify() {
	v, err := identity.NewVerifier(identity.Config{
		TrustDomains:         []spiffeid.TrustDomain{spiffeid.RequireTrustDomainFromString("example.org")},
		TrustSourcePrincipal: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	id, err := v.Verify(ctx, identity.Credentials{SourcePrincipal: "spiffe://example.org/ns/prod/sa/web"})
	fmt.Println(id.ID, id.Source, err)

	_, err = v.Verify(ctx, identity.Credentials{SourcePrincipal: "spiffe://evil.org/web"})
	fmt.Println(identity.ReasonOf(err))

	_, err = v.Verify(ctx, identity.Credentials{})
	fmt.Println(identity.ReasonOf(err), errors.Is(err, identity.ErrNoIdentity))
	// Output:
	// spiffe://example.org/ns/prod/sa/web principal <nil>
	// untrusted_domain
	// missing true
}

// NewVerifier refuses a JWT configuration without audiences, because
// go-spiffe would otherwise skip the audience check.
func ExampleNewVerifier() {
	_, err := identity.NewVerifier(identity.Config{
		TrustDomains: []spiffeid.TrustDomain{spiffeid.RequireTrustDomainFromString("example.org")},
		JWTBundles:   jwtbundle.NewSet(), // or a *identity.FileBundles
	})
	fmt.Println(errors.Is(err, identity.ErrInvalidConfig))
	// Output:
	// true
}
