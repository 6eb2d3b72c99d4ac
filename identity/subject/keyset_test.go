package subject

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// TestKeySetCompactOnly: a subject token is a JWT, so only the JWS compact
// serialization is parsed; the same signature in the JSON serialization
// is refused rather than verified.
func TestKeySetCompactOnly(t *testing.T) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: priv},
		(&jose.SignerOptions{}).WithHeader("kid", "k1"))
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign([]byte(`{"sub":"alice"}`))
	if err != nil {
		t.Fatal(err)
	}
	compact, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	keys := &remoteKeys{now: func() time.Time { return now }, fetched: now, tried: now,
		keys: []jose.JSONWebKey{{Key: &priv.PublicKey, KeyID: "k1", Algorithm: "ES256", Use: "sig"}}}
	if _, err := keys.VerifySignature(context.Background(), compact); err != nil {
		t.Fatalf("compact token refused: %v", err)
	}
	if _, err := keys.VerifySignature(context.Background(), jws.FullSerialize()); err == nil {
		t.Fatal("a JWS in the JSON serialization was verified as a subject token")
	}
}
