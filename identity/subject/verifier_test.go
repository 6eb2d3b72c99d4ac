package subject_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/internal/testca"
)

func TestVerify(t *testing.T) {
	is, other := testca.NewIssuer(t), testca.NewIssuer(t)
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{
		{URL: is.URL, Audiences: []string{"tollgate", "other-aud"}, Algs: []string{"ES256"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	cases := []struct {
		name   string
		tok    string
		reason subject.Reason // "" means accepted
	}{
		{"valid", is.Token(map[string]any{"sub": "alice", "aud": "tollgate"}), ""},
		{"bearer prefix", "Bearer " + is.Token(map[string]any{"sub": "alice", "aud": []string{"x", "other-aud"}}), ""},
		{"expired", is.Token(map[string]any{"sub": "alice", "aud": "tollgate", "exp": now.Add(-time.Minute).Unix()}), subject.ReasonExpired},
		{"no exp", is.Token(map[string]any{"sub": "alice", "aud": "tollgate", "exp": nil}), subject.ReasonExpired},
		{"not yet valid", is.Token(map[string]any{"sub": "alice", "aud": "tollgate", "nbf": now.Add(time.Minute).Unix()}), subject.ReasonNotYet},
		{"wrong audience", is.Token(map[string]any{"sub": "alice", "aud": "someone-else"}), subject.ReasonAudience},
		{"no audience", is.Token(map[string]any{"sub": "alice"}), subject.ReasonAudience},
		{"unknown issuer", other.Token(map[string]any{"sub": "alice", "aud": "tollgate"}), subject.ReasonIssuer},
		{"other key claims our issuer", other.Token(map[string]any{"iss": is.URL, "sub": "alice", "aud": "tollgate"}), subject.ReasonInvalid},
		{"no sub", is.Token(map[string]any{"aud": "tollgate"}), subject.ReasonInvalid},
		{"bad act", is.Token(map[string]any{"sub": "alice", "aud": "tollgate", "act": "agent"}), subject.ReasonInvalid},
		{"garbage", "a.b.c", subject.ReasonInvalid},
		{"two parts", "a.b", subject.ReasonInvalid},
		{"empty", "", subject.ReasonInvalid},
		{"bearer only", "Bearer ", subject.ReasonInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := v.Verify(context.Background(), tc.tok)
			if tc.reason == "" {
				if err != nil || s.ID != "alice" {
					t.Fatalf("want alice accepted, got %v, %v", s, err)
				}
				return
			}
			var se *subject.Error
			if !errors.As(err, &se) || se.Reason != tc.reason || subject.ReasonOf(err) != tc.reason {
				t.Fatalf("want reason %q, got %v", tc.reason, err)
			}
		})
	}
}

func TestVerifyStaticJWKS(t *testing.T) {
	is := testca.NewIssuer(t)
	f := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(f, is.JWKS(), 0o600); err != nil {
		t.Fatal(err)
	}
	// The URL is not reachable: static keys need no discovery.
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{
		{URL: "https://idp.invalid", Audiences: []string{"tollgate"}, JWKSFile: f, Algs: []string{"ES256"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := v.Verify(context.Background(), is.Token(map[string]any{"iss": "https://idp.invalid", "sub": "bob", "aud": "tollgate"}))
	if err != nil || s.ID != "bob" {
		t.Fatalf("got %v, %v", s, err)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	is := testca.NewIssuer(t)
	for name, cfg := range map[string]subject.Config{
		"no issuers":   {},
		"no audience":  {Issuers: []subject.Issuer{{URL: is.URL}}},
		"alg none":     {Issuers: []subject.Issuer{{URL: is.URL, Audiences: []string{"a"}, Algs: []string{"none"}}}},
		"alg HS256":    {Issuers: []subject.Issuer{{URL: is.URL, Audiences: []string{"a"}, Algs: []string{"HS256"}}}},
		"no discovery": {Issuers: []subject.Issuer{{URL: "http://127.0.0.1:1", Audiences: []string{"a"}}}},
		"listed twice": {Issuers: []subject.Issuer{{URL: is.URL, Audiences: []string{"a"}}, {URL: is.URL, Audiences: []string{"a"}}}},
		"missing jwks": {Issuers: []subject.Issuer{{URL: is.URL, Audiences: []string{"a"}, JWKSFile: "/nonexistent"}}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := subject.New(context.Background(), cfg); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

// Forged tokens naming a configured issuer must not make Tollgate fetch
// the issuer's JWKS once per request: refreshes on an unknown key are
// rate limited.
func TestForgedTokensDoNotAmplifyJWKSFetches(t *testing.T) {
	is, forger := testca.NewIssuer(t), testca.NewIssuer(t)
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{
		{URL: is.URL, Audiences: []string{"tollgate"}, Algs: []string{"ES256"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), is.Token(map[string]any{"sub": "a", "aud": "tollgate"})); err != nil {
		t.Fatal(err)
	}
	before := is.JWKSFetches.Load()
	for range 50 {
		forged := forger.Token(map[string]any{"iss": is.URL, "sub": "a", "aud": "tollgate"})
		if _, err := v.Verify(context.Background(), forged); subject.ReasonOf(err) != subject.ReasonInvalid {
			t.Fatalf("forged token: %v", err)
		}
	}
	if n := is.JWKSFetches.Load() - before; n > 1 {
		t.Fatalf("50 forged tokens caused %d JWKS fetches", n)
	}
	// A genuine token still verifies.
	if _, err := v.Verify(context.Background(), is.Token(map[string]any{"sub": "a", "aud": "tollgate"})); err != nil {
		t.Fatal(err)
	}
}

// A rotated key is picked up once MinKeyRefresh has passed since the last
// fetch.
func TestKeyRotation(t *testing.T) {
	is := testca.NewIssuer(t)
	now := time.Now()
	clock := func() time.Time { return now }
	v, err := subject.New(context.Background(), subject.Config{Now: clock, Issuers: []subject.Issuer{
		{URL: is.URL, Audiences: []string{"tollgate"}, Algs: []string{"ES256"}}}})
	if err != nil {
		t.Fatal(err)
	}
	is.Rotate()
	tok := is.Token(map[string]any{"sub": "a", "aud": "tollgate"})
	if _, err := v.Verify(context.Background(), tok); subject.ReasonOf(err) != subject.ReasonInvalid {
		t.Fatalf("within MinKeyRefresh the new key is not fetched yet: %v", err)
	}
	now = now.Add(subject.MinKeyRefresh)
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("after MinKeyRefresh: %v", err)
	}
}

// An issuer's algorithms are the only ones accepted: a token signed with
// another (even an asymmetric one Tollgate knows) is invalid.
func TestVerifyAlgorithmNotConfigured(t *testing.T) {
	is := testca.NewIssuer(t) // signs ES256
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{
		{URL: is.URL, Audiences: []string{"tollgate"}, Algs: []string{"RS256"}}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.Verify(context.Background(), is.Token(map[string]any{"sub": "a", "aud": "tollgate"}))
	if subject.ReasonOf(err) != subject.ReasonInvalid || err == nil {
		t.Fatalf("ES256 token for an RS256 issuer: %v", err)
	}
}

// With Types, a token of another typ (an ID token, say) is refused.
func TestVerifyTokenTypes(t *testing.T) {
	is := testca.NewIssuer(t)
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{
		{URL: is.URL, Audiences: []string{"tollgate"}, Algs: []string{"ES256"}, Types: []string{"at+jwt"}}}})
	if err != nil {
		t.Fatal(err)
	}
	claims := func() map[string]any { return map[string]any{"sub": "a", "aud": "tollgate"} }
	for typ, ok := range map[string]bool{"at+jwt": true, "application/AT+JWT": true, "JWT": false, "": false} {
		_, err := v.Verify(context.Background(), is.TokenWithType(typ, claims()))
		if ok != (err == nil) || (err != nil && subject.ReasonOf(err) != subject.ReasonInvalid) {
			t.Errorf("typ %q: %v", typ, err)
		}
	}
}

// A slow JWKS refresh (set off by a token with an unknown key) does not
// stall requests whose key is already known.
func TestSlowRefreshDoesNotStall(t *testing.T) {
	is, forger := testca.NewIssuer(t), testca.NewIssuer(t)
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	v, err := subject.New(context.Background(), subject.Config{Now: clock, Issuers: []subject.Issuer{
		{URL: is.URL, Audiences: []string{"tollgate"}, Algs: []string{"ES256"}}}})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(subject.MinKeyRefresh)
	mu.Unlock()
	release := is.BlockJWKS()
	defer release()
	fetches := is.JWKSFetches.Load()
	go func() {
		_, _ = v.Verify(context.Background(), forger.Token(map[string]any{"iss": is.URL, "sub": "a", "aud": "tollgate"}))
	}()
	for is.JWKSFetches.Load() == fetches {
		time.Sleep(time.Millisecond)
	}
	done := make(chan error, 1)
	go func() {
		_, err := v.Verify(context.Background(), is.Token(map[string]any{"sub": "a", "aud": "tollgate"}))
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a token with a known key waited for the JWKS refresh")
	}
}
