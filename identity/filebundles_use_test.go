package identity

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

// jwksWithUse returns ca's JWKS with "use" set on the key kid.
func jwksWithUse(t *testing.T, ca *testca.CA, kid, use string) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(ca.JWKS(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range doc["keys"].([]any) {
		if k := k.(map[string]any); k["kid"] == kid {
			k["use"] = use
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestJWKSFileKeyUse: a JWKS key declared for another use than signing
// ("use": "enc") is not a JWT-SVID authority: whoever holds its private
// half (the party that decrypts with it) must not be able to mint SVIDs.
func TestJWKSFileKeyUse(t *testing.T) {
	ca := testca.New(t, "example.org")
	sigKID := ca.JWTKeyID()
	sigToken := ca.NewJWTSVID("/svc", testAud)
	otherKID := ca.RotateJWTKey()
	otherToken := ca.NewJWTSVID("/svc", testAud)
	tests := []struct {
		use      string
		accepted bool
	}{
		{"sig", true},
		{"jwt-svid", true},
		{"enc", false},
		{"x509-svid", false},
	}
	for _, tc := range tests {
		t.Run(tc.use, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "jwks.json", jwksWithUse(t, ca, otherKID, tc.use))
			f, err := NewFileBundles([]BundleFile{{TrustDomain: "example.org", JWKS: path}})
			if err != nil {
				t.Fatal(err)
			}
			v, err := NewVerifier(Config{JWTBundles: f, JWTAudiences: testAud, TrustDomains: []spiffeid.TrustDomain{ca.TrustDomain()}})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if _, err := v.Verify(ctx, Credentials{Authorization: "Bearer " + sigToken}); err != nil {
				t.Fatalf("token of the key %s without use: %v", sigKID, err)
			}
			id, err := v.Verify(ctx, Credentials{Authorization: "Bearer " + otherToken})
			switch {
			case tc.accepted && err != nil:
				t.Fatalf("token of a key with use %q: %v", tc.use, err)
			case !tc.accepted && err == nil:
				t.Fatalf("token of a key with use %q verified as %v", tc.use, id.ID)
			}
		})
	}
}

// TestJWKSFileOnlyEncryptionKeys: a JWKS with no signing key left is an
// empty bundle, refused like {"keys":[]}.
func TestJWKSFileOnlyEncryptionKeys(t *testing.T) {
	ca := testca.New(t, "example.org")
	path := writeFile(t, t.TempDir(), "jwks.json", jwksWithUse(t, ca, ca.JWTKeyID(), "enc"))
	if _, err := NewFileBundles([]BundleFile{{TrustDomain: "example.org", JWKS: path}}); err == nil {
		t.Fatal("a JWKS holding only an encryption key loaded")
	}
}

// TestJWKSFileKeyWithoutKID: a signing key without kid cannot be named by a
// JWT-SVID, so the file is refused (keys declared for another use are
// skipped before that check).
func TestJWKSFileKeyWithoutKID(t *testing.T) {
	ca := testca.New(t, "example.org")
	kid := ca.JWTKeyID()
	noKID := strings.Replace(string(ca.JWKS()), `"kid":"`+kid+`",`, "", 1)
	if noKID == string(ca.JWKS()) {
		t.Fatalf("test setup: kid not found in %s", ca.JWKS())
	}
	path := writeFile(t, t.TempDir(), "jwks.json", []byte(noKID))
	if _, err := NewFileBundles([]BundleFile{{TrustDomain: "example.org", JWKS: path}}); err == nil || !strings.Contains(err.Error(), "jwks.json") || !strings.Contains(err.Error(), "keyID") {
		t.Fatalf("err = %v, want the file refused, naming it", err)
	}
}
