package testca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Issuer is a minimal OIDC issuer on loopback: discovery and a JWKS, and
// tokens signed with its ES256 key. It mints what a real provider will
// not (expired tokens, odd act chains).
type Issuer struct {
	URL string
	// JWKSFetches counts requests for the JWKS.
	JWKSFetches atomic.Int64
	block       atomic.Pointer[chan struct{}]
	mu          sync.Mutex
	key         *ecdsa.PrivateKey
	kid         string
	srv         *httptest.Server
	tbak        testing.TB
}

// NewIssuer starts an issuer; it stops when the test ends.
func NewIssuer(tb testing.TB) *Issuer {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	is := &Issuer{key: key, kid: randomKID(tb), tbak: tb}
	mux := http.NewServeMux()
	is.srv = httptest.NewServer(mux)
	is.URL = is.srv.URL
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": is.URL, "jwks_uri": is.URL + "/jwks",
			"authorization_endpoint": is.URL + "/authorize", "token_endpoint": is.URL + "/token",
			"id_token_signing_alg_values_supported": []string{"ES256"},
		})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, _ *http.Request) {
		is.JWKSFetches.Add(1)
		if c := is.block.Load(); c != nil {
			<-*c
		}
		_, _ = w.Write(is.JWKS())
	})
	tb.Cleanup(is.srv.Close)
	return is
}

// BlockJWKS makes JWKS requests hang until the returned release is
// called (a slow issuer).
func (is *Issuer) BlockJWKS() (release func()) {
	c := make(chan struct{})
	is.block.Store(&c)
	return func() { is.block.Store(nil); close(c) }
}

// Rotate replaces the signing key (and its kid); the JWKS then holds only
// the new key.
func (is *Issuer) Rotate() {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		is.tbak.Fatal(err)
	}
	is.mu.Lock()
	is.key, is.kid = key, randomKID(is.tbak)
	is.mu.Unlock()
}

// JWKS is the issuer's public key set.
func (is *Issuer) JWKS() []byte {
	is.mu.Lock()
	defer is.mu.Unlock()
	b, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &is.key.PublicKey, KeyID: is.kid, Algorithm: "ES256", Use: "sig"}}})
	if err != nil {
		is.tbak.Fatal(err)
	}
	return b
}

// Token signs claims with typ at+jwt; iss defaults to the issuer, exp to
// an hour ahead.
func (is *Issuer) Token(claims map[string]any) string { return is.TokenWithType("at+jwt", claims) }

// TokenWithType is Token with the given JWS typ header.
func (is *Issuer) TokenWithType(typ string, claims map[string]any) string {
	c := map[string]any{"iss": is.URL, "exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix()}
	for k, v := range claims {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	payload, err := json.Marshal(c)
	if err != nil {
		is.tbak.Fatal(err)
	}
	is.mu.Lock()
	key, kid := is.key, is.kid
	is.mu.Unlock()
	opts := (&jose.SignerOptions{}).WithType(jose.ContentType(typ)).WithHeader("kid", kid)
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, opts)
	if err != nil {
		is.tbak.Fatal(err)
	}
	jws, err := s.Sign(payload)
	if err != nil {
		is.tbak.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		is.tbak.Fatal(err)
	}
	return out
}
