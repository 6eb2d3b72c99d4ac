package identity

import (
	"context"
	"testing"

	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/bundle/spiffebundle"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

// staticSource serves fixed X.509 and JWT bundle sets, like bootstrap
// bundle files.
type staticSource struct {
	x509 *x509bundle.Set
	jwt  *jwtbundle.Set
}

func (s staticSource) GetX509BundleForTrustDomain(td spiffeid.TrustDomain) (*x509bundle.Bundle, error) {
	return s.x509.GetX509BundleForTrustDomain(td)
}

func (s staticSource) GetJWTBundleForTrustDomain(td spiffeid.TrustDomain) (*jwtbundle.Bundle, error) {
	return s.jwt.GetJWTBundleForTrustDomain(td)
}

// TestFederationBundleIsWholeForItsTrustDomain: once a partner's bundle has
// been fetched, it is the partner's whole set of authorities. A kind of
// authority it no longer publishes (say, a JWT key it dropped after a
// compromise) must not be taken from the bootstrap files behind it in the
// Chain.
func TestFederationBundleIsWholeForItsTrustDomain(t *testing.T) {
	local, old, cur := testca.New(t, "example.org"), testca.New(t, "partner.org"), testca.New(t, "partner.org")
	x509Only := spiffebundle.New(partnerTD)
	x509Only.AddX509Authority(cur.Root().Cert())
	jwtOnly := spiffebundle.New(partnerTD)
	key, _ := cur.JWTBundle().FindJWTAuthority(cur.JWTKeyID())
	if err := jwtOnly.AddJWTAuthority(cur.JWTKeyID(), key); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		published *spiffebundle.Bundle
		accepted  Credentials
		refused   Credentials
	}{
		{"X.509 only: the bootstrap JWT key is gone", x509Only,
			Credentials{PeerCertificate: cur.NewX509SVID("/api").EnvoyLeaf()},
			Credentials{Authorization: "Bearer " + old.NewJWTSVID("/api", testAud)}},
		{"JWT only: the bootstrap CA is gone", jwtOnly,
			Credentials{Authorization: "Bearer " + cur.NewJWTSVID("/api", testAud)},
			Credentials{PeerCertificate: old.NewX509SVID("/api").EnvoyLeaf()}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newBundleServer(t, cur, nil)
			srv.cur.Store(tc.published)
			f, err := NewFederation(FederationConfig{Endpoints: []FederationEndpoint{{
				TrustDomain: partnerTD, URL: srv.srv.URL, Profile: ProfileHTTPSWeb, Roots: srv.roots(),
			}}})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			// The bootstrap files still hold the partner's old CA and JWT key.
			src := Chain{f, staticSource{x509: x509bundle.NewSet(local.X509Bundle(), old.X509Bundle()), jwt: jwtbundle.NewSet(old.JWTBundle())}}
			v, err := NewVerifier(Config{X509Bundles: src, JWTBundles: src, JWTAudiences: testAud,
				TrustDomains: []spiffeid.TrustDomain{local.TrustDomain(), partnerTD}})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if _, err := v.Verify(ctx, tc.accepted); err != nil {
				t.Fatalf("credential of the published bundle: %v", err)
			}
			id, err := v.Verify(ctx, tc.refused)
			if err == nil {
				t.Fatalf("credential of an authority the partner no longer publishes verified as %v", id.ID)
			}
			if r := ReasonOf(err); r != ReasonUntrustedDomain && r != ReasonBadSignature {
				t.Fatalf("reason = %q (%v), want untrusted_domain or bad_signature", r, err)
			}
		})
	}
}
