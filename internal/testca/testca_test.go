package testca_test

import (
	"crypto/x509"
	"encoding/pem"
	"net/url"
	"testing"
	"time"

	"github.com/spiffe/go-spiffe/v2/svid/jwtsvid"
	"github.com/spiffe/go-spiffe/v2/svid/x509svid"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

func TestX509SVIDs(t *testing.T) {
	ca := testca.New(t, "example.org")
	inter := ca.NewIntermediate()
	past := time.Now().Add(-2 * time.Hour)
	tests := []struct {
		name  string
		chain []*x509.Certificate
		ok    bool
	}{
		{"root-signed", ca.NewX509SVID("/a").Chain(), true},
		{"intermediate with chain", inter.NewX509SVID("/a").Chain(), true},
		{"intermediate leaf only", inter.NewX509SVID("/a").Chain()[:1], false},
		{"expired", ca.NewX509SVID("/a", testca.WithValidity(past, past.Add(time.Hour))).Chain(), false},
		{"two URI SANs", ca.NewX509SVID("/a", testca.WithExtraURI("spiffe://example.org/b")).Chain(), false},
		{"CA as leaf", ca.NewX509SVID("/a", testca.AsCA()).Chain(), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := x509svid.Verify(tc.chain, ca.X509Bundle())
			if (err == nil) != tc.ok {
				t.Fatalf("x509svid.Verify err = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestEnvoyLeafRoundTrip(t *testing.T) {
	svid := testca.New(t, "example.org").NewX509SVID("/a")
	decoded, err := url.QueryUnescape(svid.EnvoyLeaf())
	if err != nil {
		t.Fatal(err)
	}
	block, rest := pem.Decode([]byte(decoded))
	if block == nil || len(rest) != 0 || string(block.Bytes) != string(svid.Leaf.Raw) {
		t.Fatal("EnvoyLeaf does not decode to exactly the leaf")
	}
}

func TestJWTSVIDs(t *testing.T) {
	ca := testca.New(t, "example.org")
	aud := []string{"tollgate"}
	rotated := ca.NewJWTSVID("/old", aud)
	old := ca.JWTKeyID()
	ca.RotateJWTKey()
	ca.DropJWTKey(old)
	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{"valid", ca.NewJWTSVID("/a", aud), true},
		{"alg none", ca.NewJWTAlgNone("/a", aud), false},
		{"HS256", ca.NewJWTHS256("/a", aud, []byte("secret")), false},
		{"missing kid", ca.NewJWTSVID("/a", aud, testca.WithKeyID("")), false},
		{"unknown key", ca.NewJWTUnknownKey("/a", aud), false},
		{"rotated-out key", rotated, false},
		{"expired", ca.NewJWTSVID("/a", aud, testca.WithExpiry(time.Now().Add(-time.Hour))), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := jwtsvid.ParseAndValidate(tc.token, ca.JWTBundle(), aud)
			if (err == nil) != tc.ok {
				t.Fatalf("ParseAndValidate err = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}
