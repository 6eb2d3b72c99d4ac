package subject_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/internal/testca"
)

// TestStaticJWKSSkipsNonSigningKeys: a static JWKS key declared for
// encryption ("use": "enc") is not an issuer's signing key, as discovery
// already treats it: whoever decrypts with it must not mint subject
// tokens. A file left with no signing key is refused.
func TestStaticJWKSSkipsNonSigningKeys(t *testing.T) {
	is := testca.NewIssuer(t)
	enc := bytes.Replace(is.JWKS(), []byte(`"use":"sig"`), []byte(`"use":"enc"`), 1)
	if bytes.Equal(enc, is.JWKS()) {
		t.Fatalf("test setup: no use in %s", is.JWKS())
	}
	f := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(f, enc, 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{
		{URL: "https://idp.invalid", Audiences: []string{"tollgate"}, JWKSFile: f, Algs: []string{"ES256"}},
	}})
	if err != nil {
		return // refused at load: no signing key
	}
	s, err := v.Verify(context.Background(), is.Token(map[string]any{"iss": "https://idp.invalid", "sub": "bob", "aud": "tollgate"}))
	if err == nil {
		t.Fatalf("token signed by a use: enc key verified as %q", s.ID)
	}
}
