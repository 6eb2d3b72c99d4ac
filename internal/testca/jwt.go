package testca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// jwtKeys is the trust domain's set of JWT signing keys; the last one signs.
type jwtKeys struct {
	tb      testing.TB
	kids    []string
	keys    map[string]*ecdsa.PrivateKey
	current string
}

func newJWTKeys(tb testing.TB) *jwtKeys {
	k := &jwtKeys{tb: tb, keys: map[string]*ecdsa.PrivateKey{}}
	k.rotate()
	return k
}

func (k *jwtKeys) rotate() string {
	k.tb.Helper()
	kid := randomKID(k.tb)
	k.keys[kid] = NewKey(k.tb)
	k.kids = append(k.kids, kid)
	k.current = kid
	return kid
}

func randomKID(tb testing.TB) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		tb.Fatalf("testca: key id: %v", err)
	}
	return hex.EncodeToString(b)
}

// JWTKeyID returns the key ID of the current JWT signing key.
func (ca *CA) JWTKeyID() string { return ca.jwt.current }

// RotateJWTKey adds a new JWT signing key, makes it current, and returns its
// key ID. Old keys stay in the bundle until DropJWTKey.
func (ca *CA) RotateJWTKey() string { return ca.jwt.rotate() }

// DropJWTKey removes a key from the JWT bundle (tokens it signed stop verifying).
func (ca *CA) DropJWTKey(kid string) {
	delete(ca.jwt.keys, kid)
	for i, k := range ca.jwt.kids {
		if k == kid {
			ca.jwt.kids = append(ca.jwt.kids[:i:i], ca.jwt.kids[i+1:]...)
			break
		}
	}
}

// JWTBundle returns the trust domain's JWT bundle with every key not dropped.
func (ca *CA) JWTBundle() *jwtbundle.Bundle {
	auth := make(map[string]crypto.PublicKey, len(ca.jwt.keys))
	for kid, key := range ca.jwt.keys {
		auth[kid] = key.Public()
	}
	return jwtbundle.FromJWTAuthorities(ca.td, auth)
}

// JWKS returns JWTBundle as a JWKS JSON document.
func (ca *CA) JWKS() []byte {
	ca.tb.Helper()
	b, err := ca.JWTBundle().Marshal()
	if err != nil {
		ca.tb.Fatalf("testca: marshal JWKS: %v", err)
	}
	return b
}

// JWTOption changes the header or claims of a minted JWT-SVID.
type JWTOption func(h, c map[string]any)

// WithExpiry sets the exp claim.
func WithExpiry(t time.Time) JWTOption { return WithClaim("exp", t.Unix()) }

// WithIssuedAt sets the iat claim.
func WithIssuedAt(t time.Time) JWTOption { return WithClaim("iat", t.Unix()) }

// WithNotBefore sets the nbf claim.
func WithNotBefore(t time.Time) JWTOption { return WithClaim("nbf", t.Unix()) }

// WithClaim sets (or, with a nil value, removes) any claim.
func WithClaim(name string, v any) JWTOption {
	return func(_, c map[string]any) {
		if v == nil {
			delete(c, name)
			return
		}
		c[name] = v
	}
}

// WithKeyID sets the kid header; "" removes it.
func WithKeyID(kid string) JWTOption {
	return func(h, _ map[string]any) {
		if kid == "" {
			delete(h, "kid")
			return
		}
		h["kid"] = kid
	}
}

// WithHeader sets any header parameter (e.g. "typ").
func WithHeader(name string, v any) JWTOption {
	return func(h, _ map[string]any) { h[name] = v }
}

// NewJWTSVID mints an ES256 JWT-SVID for spiffe://<td><path> signed with the
// current key. aud nil omits the aud claim. Defaults: iat now, exp now+1h.
func (ca *CA) NewJWTSVID(path string, aud []string, opts ...JWTOption) string {
	ca.tb.Helper()
	h, c := ca.jwtParts(path, aud, opts)
	key, ok := ca.jwt.keys[ca.jwt.current]
	if !ok {
		ca.tb.Fatalf("testca: current JWT key %q was dropped", ca.jwt.current)
	}
	return signES256(ca.tb, h, c, key)
}

// NewJWTUnknownKey mints a JWT-SVID signed by a key that is not in the
// bundle, under a fresh key ID.
func (ca *CA) NewJWTUnknownKey(path string, aud []string, opts ...JWTOption) string {
	ca.tb.Helper()
	h, c := ca.jwtParts(path, aud, opts)
	h["kid"] = randomKID(ca.tb)
	return signES256(ca.tb, h, c, NewKey(ca.tb))
}

// NewJWTAlgNone mints an unsigned token with alg "none".
func (ca *CA) NewJWTAlgNone(path string, aud []string, opts ...JWTOption) string {
	ca.tb.Helper()
	h, c := ca.jwtParts(path, aud, opts)
	h["alg"] = "none"
	return encodeSegments(ca.tb, h, c) + "."
}

// NewJWTHS256 mints a token MACed with HS256 under secret (e.g. an attacker
// using the public key bytes as the HMAC secret).
func (ca *CA) NewJWTHS256(path string, aud []string, secret []byte, opts ...JWTOption) string {
	ca.tb.Helper()
	h, c := ca.jwtParts(path, aud, opts)
	h["alg"] = "HS256"
	input := encodeSegments(ca.tb, h, c)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func (ca *CA) jwtParts(path string, aud []string, opts []JWTOption) (h, c map[string]any) {
	ca.tb.Helper()
	id, err := spiffeid.FromPath(ca.td, path)
	if err != nil {
		ca.tb.Fatalf("testca: SPIFFE ID path %q: %v", path, err)
	}
	now := time.Now()
	h = map[string]any{"alg": "ES256", "typ": "JWT", "kid": ca.jwt.current}
	c = map[string]any{"sub": id.String(), "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	if aud != nil {
		c["aud"] = aud
	}
	for _, opt := range opts {
		opt(h, c)
	}
	return h, c
}

func signES256(tb testing.TB, h, c map[string]any, key *ecdsa.PrivateKey) string {
	tb.Helper()
	input := encodeSegments(tb, h, c)
	digest := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, key, digest[:])
	if err != nil {
		tb.Fatalf("testca: sign JWT: %v", err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func encodeSegments(tb testing.TB, h, c map[string]any) string {
	tb.Helper()
	hj, err := json.Marshal(h)
	if err != nil {
		tb.Fatalf("testca: JWT header: %v", err)
	}
	cj, err := json.Marshal(c)
	if err != nil {
		tb.Fatalf("testca: JWT claims: %v", err)
	}
	return base64.RawURLEncoding.EncodeToString(hj) + "." + base64.RawURLEncoding.EncodeToString(cj)
}
