package subject_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/internal/testca"
)

const td = "example.org"

func txnClaims(extra map[string]any) map[string]any {
	c := map[string]any{"sub": "alice", "aud": td, "txn": "97053963-771d", "scope": "orders.read",
		"req_wl": "spiffe://example.org/gateway"}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

func newTxn(t *testing.T, is *testca.Issuer, cfg subject.TxnConfig) *subject.TxnVerifier {
	t.Helper()
	if cfg.Issuer == "" && cfg.JWKSFile == "" {
		cfg.Issuer = is.URL
	}
	if cfg.Audience == "" {
		cfg.Audience = td
	}
	v, err := subject.NewTxn(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Each verification rule of a Txn-Token, with the bounded reason it
// refuses with.
func TestVerifyTxn(t *testing.T) {
	is, other := testca.NewIssuer(t), testca.NewIssuer(t)
	v := newTxn(t, is, subject.TxnConfig{Algs: []string{"ES256"}})
	now := time.Now()
	cases := []struct {
		name   string
		tok    string
		reason subject.Reason // "" means accepted
	}{
		{"valid", is.TxnToken(txnClaims(nil)), ""},
		{"aud list naming the trust domain", is.TxnToken(txnClaims(map[string]any{"aud": []string{"x", td}})), ""},
		{"typ with application/ prefix", is.TokenWithType("application/txntoken+jwt", txnClaims(map[string]any{"exp": now.Add(time.Minute).Unix()})), ""},
		{"wrong typ", is.TokenWithType("at+jwt", txnClaims(map[string]any{"exp": now.Add(time.Minute).Unix()})), subject.ReasonInvalid},
		{"no typ", is.TokenWithType("", txnClaims(map[string]any{"exp": now.Add(time.Minute).Unix()})), subject.ReasonInvalid},
		{"expired", is.TxnToken(txnClaims(map[string]any{"iat": now.Add(-2 * time.Minute).Unix(), "exp": now.Add(-time.Minute).Unix()})), subject.ReasonExpired},
		{"no exp", is.TxnToken(txnClaims(map[string]any{"exp": nil})), subject.ReasonExpired},
		{"no iat", is.TxnToken(txnClaims(map[string]any{"iat": nil})), subject.ReasonInvalid},
		{"iat in the future", is.TxnToken(txnClaims(map[string]any{"iat": now.Add(time.Minute).Unix(), "exp": now.Add(2 * time.Minute).Unix()})), subject.ReasonNotYet},
		{"nbf in the future", is.TxnToken(txnClaims(map[string]any{"nbf": now.Add(2 * time.Minute).Unix()})), subject.ReasonNotYet},
		{"lifetime too long", is.TxnToken(txnClaims(map[string]any{"exp": now.Add(time.Hour).Unix()})), subject.ReasonLifetime},
		{"wrong audience", is.TxnToken(txnClaims(map[string]any{"aud": "other.org"})), subject.ReasonAudience},
		{"empty audience", is.TxnToken(txnClaims(map[string]any{"aud": ""})), subject.ReasonAudience},
		{"no audience", is.TxnToken(txnClaims(map[string]any{"aud": nil})), subject.ReasonAudience},
		{"wrong issuer", is.TxnToken(txnClaims(map[string]any{"iss": "https://tts.other"})), subject.ReasonIssuer},
		{"bad signature", other.TxnToken(txnClaims(map[string]any{"iss": is.URL})), subject.ReasonInvalid},
		{"no txn", is.TxnToken(txnClaims(map[string]any{"txn": nil})), subject.ReasonInvalid},
		{"no sub", is.TxnToken(txnClaims(map[string]any{"sub": nil})), subject.ReasonInvalid},
		{"no scope", is.TxnToken(txnClaims(map[string]any{"scope": nil})), subject.ReasonInvalid},
		{"blank scope", is.TxnToken(txnClaims(map[string]any{"scope": "  "})), subject.ReasonInvalid},
		{"tctx not an object", is.TxnToken(txnClaims(map[string]any{"tctx": "BUY"})), subject.ReasonInvalid},
		{"req_wl not a string", is.TxnToken(txnClaims(map[string]any{"req_wl": 7})), subject.ReasonInvalid},
		{"bearer scheme", "Bearer " + is.TxnToken(txnClaims(nil)), subject.ReasonInvalid},
		{"two tokens", is.TxnToken(txnClaims(nil)) + "," + is.TxnToken(txnClaims(nil)), subject.ReasonInvalid},
		{"garbage", "a.b.c", subject.ReasonInvalid},
		{"empty", "", subject.ReasonInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := v.Verify(context.Background(), tc.tok)
			if tc.reason == "" {
				if err != nil || s.ID != "alice" || s.Txn == nil || s.Txn.ID != "97053963-771d" {
					t.Fatalf("want alice accepted, got %+v, %v", s, err)
				}
				return
			}
			var se *subject.Error
			if !errors.As(err, &se) || subject.ReasonOf(err) != tc.reason {
				t.Fatalf("want reason %q, got %v", tc.reason, err)
			}
		})
	}
}

// An algorithm outside the configured list is refused even when the key
// verifies it.
func TestVerifyTxnAlgorithm(t *testing.T) {
	is := testca.NewIssuer(t) // signs ES256
	v := newTxn(t, is, subject.TxnConfig{Algs: []string{"RS256"}})
	if _, err := v.Verify(context.Background(), is.TxnToken(txnClaims(nil))); err == nil || subject.ReasonOf(err) != subject.ReasonInvalid {
		t.Fatalf("ES256 token for an RS256 token service: %v", err)
	}
}

// With a static JWKS and no issuer, keys are predetermined: iss is not
// required (the draft makes it optional then), but the keys still are.
func TestVerifyTxnStaticJWKS(t *testing.T) {
	is, other := testca.NewIssuer(t), testca.NewIssuer(t)
	f := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(f, is.JWKS(), 0o600); err != nil {
		t.Fatal(err)
	}
	v := newTxn(t, is, subject.TxnConfig{JWKSFile: f, Algs: []string{"ES256"}})
	if s, err := v.Verify(context.Background(), is.TxnToken(txnClaims(map[string]any{"iss": nil}))); err != nil || s.ID != "alice" {
		t.Fatalf("no iss, static keys: %v, %v", s, err)
	}
	if _, err := v.Verify(context.Background(), other.TxnToken(txnClaims(nil))); subject.ReasonOf(err) != subject.ReasonInvalid || err == nil {
		t.Fatalf("another key: %v", err)
	}
}

func TestNewTxnRefusesBadConfig(t *testing.T) {
	is := testca.NewIssuer(t)
	for name, cfg := range map[string]subject.TxnConfig{
		"no audience":       {Issuer: is.URL},
		"no keys":           {Audience: td},
		"alg none":          {Issuer: is.URL, Audience: td, Algs: []string{"none"}},
		"alg HS256":         {Issuer: is.URL, Audience: td, Algs: []string{"HS256"}},
		"lifetime too long": {Issuer: is.URL, Audience: td, MaxLifetime: 2 * time.Hour},
		"no discovery":      {Issuer: "http://127.0.0.1:1", Audience: td},
		"missing jwks":      {JWKSFile: "/nonexistent", Audience: td},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := subject.NewTxn(context.Background(), cfg)
			if err == nil {
				t.Fatal("want an error")
			}
		})
	}
}
