package subject_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/internal/testca"
)

// forge signs header and payload (raw JSON) with key, ES256.
func forge(t *testing.T, key *ecdsa.PrivateKey, header, payload string) string {
	t.Helper()
	in := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload))
	sum := sha256.Sum256([]byte(in))
	rr, ss, err := ecdsa.Sign(rand.Reader, key, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	rr.FillBytes(sig[:32])
	ss.FillBytes(sig[32:])
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// issuerKID is the kid of is's current key, read from its JWKS.
func issuerKID(t *testing.T, is *testca.Issuer) string {
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(is.JWKS(), &set); err != nil || len(set.Keys) == 0 {
		t.Fatalf("jwks: %v", err)
	}
	return set.Keys[0].Kid
}

// TestVerifyForgedHeaders: a token signed by anyone but the issuer is
// invalid, whatever its header says about where its key is (jwk, jku,
// x5u), whichever algorithm it names (none, HS256 keyed with the
// issuer's public JWKS), and a malformed ES256 signature is refused; the
// URLs a header names are never fetched.
func TestVerifyForgedHeaders(t *testing.T) {
	is := testca.NewIssuer(t)
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{
		{URL: is.URL, Audiences: []string{"tollgate"}, Algs: []string{"ES256"}}}})
	if err != nil {
		t.Fatal(err)
	}
	var fetched atomic.Int64
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fetched.Add(1)
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(evil.Close)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := json.Marshal(map[string]string{"kty": "EC", "crv": "P-256",
		"x": base64.RawURLEncoding.EncodeToString(key.X.FillBytes(make([]byte, 32))),
		"y": base64.RawURLEncoding.EncodeToString(key.Y.FillBytes(make([]byte, 32)))})
	kid := issuerKID(t, is)
	payload := `{"iss":"` + is.URL + `","sub":"alice","aud":"tollgate","azp":"x","exp":` + strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10) + `}`
	p64 := base64.RawURLEncoding.EncodeToString([]byte(payload))
	good := is.Token(map[string]any{"sub": "alice", "aud": "tollgate"})
	parts := strings.Split(good, ".")
	for name, tok := range map[string]string{
		"issuer kid, other key":   forge(t, key, `{"alg":"ES256","kid":"`+kid+`","typ":"at+jwt"}`, payload),
		"embedded jwk":            forge(t, key, `{"alg":"ES256","kid":"`+kid+`","jwk":`+string(pub)+`}`, payload),
		"jku elsewhere":           forge(t, key, `{"alg":"ES256","kid":"evil","jku":"`+evil.URL+`/jwks"}`, payload),
		"x5u elsewhere":           forge(t, key, `{"alg":"ES256","x5u":"`+evil.URL+`/cert"}`, payload),
		"alg none":                base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + p64 + ".",
		"HS256 keyed by the JWKS": hs256(`{"alg":"HS256","kid":"`+kid+`"}`, p64, is.JWKS()),
		"ES256 signature cut":     parts[0] + "." + parts[1] + "." + parts[2][:40],
		"ES256 signature zero":    parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(make([]byte, 64)),
		"payload swapped":         parts[0] + "." + p64 + "." + parts[2],
	} {
		t.Run(name, func(t *testing.T) {
			if s, err := v.Verify(context.Background(), tok); err == nil {
				t.Fatalf("accepted as %q", s.ID)
			} else if r := subject.ReasonOf(err); r != subject.ReasonInvalid {
				t.Fatalf("reason %q, want invalid: %v", r, err)
			}
		})
	}
	if n := fetched.Load(); n != 0 {
		t.Fatalf("a URL named in a token header was fetched %d times", n)
	}
}

// TestVerifyIssuerVariants: iss is compared exactly; a trailing slash or
// another case of a configured issuer is not that issuer.
func TestVerifyIssuerVariants(t *testing.T) {
	is := testca.NewIssuer(t)
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{
		{URL: is.URL, Audiences: []string{"tollgate"}, Algs: []string{"ES256"}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, iss := range []string{is.URL + "/", strings.ToUpper(is.URL), strings.Replace(is.URL, "http://", "HTTP://", 1), is.URL + "#", " " + is.URL} {
		t.Run(iss, func(t *testing.T) {
			_, err := v.Verify(context.Background(), is.Token(map[string]any{"iss": iss, "sub": "alice", "aud": "tollgate"}))
			if r := subject.ReasonOf(err); err == nil || r != subject.ReasonIssuer {
				t.Fatalf("iss %q: reason %q (%v), want issuer", iss, r, err)
			}
		})
	}
}

// TestVerifyTimeClaimTypes: exp and nbf are JSON numbers; one of another
// type is refused, not skipped (go-oidc reads a numeric string as a time,
// with five minutes of leeway on nbf, and wraps an nbf beyond int64 into
// the past).
func TestVerifyTimeClaimTypes(t *testing.T) {
	is := testca.NewIssuer(t)
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{
		{URL: is.URL, Audiences: []string{"tollgate"}, Algs: []string{"ES256"}}}})
	if err != nil {
		t.Fatal(err)
	}
	soon := strconv.FormatInt(time.Now().Add(2*time.Minute).Unix(), 10)
	for name, c := range map[string]map[string]any{
		"nbf string, two minutes ahead": {"nbf": soon},
		"nbf string beyond int64":       {"nbf": "9223372036854775807"},
		"nbf string exponent":           {"nbf": "1e30"},
		"nbf bool":                      {"nbf": true},
		"exp string":                    {"exp": strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)},
	} {
		t.Run(name, func(t *testing.T) {
			c["sub"], c["aud"] = "alice", "tollgate"
			if s, err := v.Verify(context.Background(), is.Token(c)); err == nil {
				t.Fatalf("accepted as %q", s.ID)
			}
		})
	}
}

// hs256 signs header and the encoded payload p64 with secret.
func hs256(header, p64 string, secret []byte) string {
	in := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + p64
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(in))
	return in + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// TestVerifyTxnTimeClaimTypes: the same for Txn-Tokens, whose nbf is
// checked with TxnClockSkew only.
func TestVerifyTxnTimeClaimTypes(t *testing.T) {
	r := newRawSigner(t)
	v := r.txnVerifier(t)
	now := time.Now().Unix()
	body := `{"sub":"alice","txn":"t1","scope":"orders.read","req_wl":"spiffe://example.org/gateway","aud":"` + td +
		`","iat":` + strconv.FormatInt(now, 10) + `,"exp":` + strconv.FormatInt(now+60, 10)
	if _, err := v.Verify(context.Background(), r.signPayload(t, body+`}`)); err != nil {
		t.Fatalf("well-formed payload refused: %v", err)
	}
	for name, nbf := range map[string]string{
		"nbf string, two minutes ahead": strconv.Quote(strconv.FormatInt(now+120, 10)),
		"nbf string beyond int64":       `"9223372036854775807"`,
	} {
		t.Run(name, func(t *testing.T) {
			if s, err := v.Verify(context.Background(), r.signPayload(t, body+`,"nbf":`+nbf+`}`)); err == nil {
				t.Fatalf("accepted as %q", s.ID)
			}
		})
	}
}

// TestRotatedOutKeyRefused: once the issuer's JWKS no longer holds a key,
// a token signed with it is refused after the next refresh: the one a
// token naming the new key triggers, or the one MaxKeyAge forces.
func TestRotatedOutKeyRefused(t *testing.T) {
	for _, trigger := range []string{"new kid", "max key age"} {
		t.Run(trigger, func(t *testing.T) {
			is := testca.NewIssuer(t)
			now := time.Now()
			v, err := subject.New(context.Background(), subject.Config{Now: func() time.Time { return now }, Issuers: []subject.Issuer{
				{URL: is.URL, Audiences: []string{"tollgate"}, Algs: []string{"ES256"}}}})
			if err != nil {
				t.Fatal(err)
			}
			old := is.Token(map[string]any{"sub": "a", "aud": "tollgate"})
			if _, err := v.Verify(context.Background(), old); err != nil {
				t.Fatal(err)
			}
			is.Rotate()
			if trigger == "new kid" {
				now = now.Add(subject.MinKeyRefresh)
				if _, err := v.Verify(context.Background(), is.Token(map[string]any{"sub": "a", "aud": "tollgate"})); err != nil {
					t.Fatalf("new key: %v", err)
				}
			} else {
				now = now.Add(subject.MaxKeyAge + time.Second)
			}
			if _, err := v.Verify(context.Background(), old); subject.ReasonOf(err) != subject.ReasonInvalid {
				t.Fatalf("a token of the rotated-out key: %v", err)
			}
		})
	}
}

// TestVerifyHugeInputs: a token over MaxTokenBytes is refused before it is
// parsed, however well signed; a JWKS over its bound is not read.
func TestVerifyHugeInputs(t *testing.T) {
	is := testca.NewIssuer(t)
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{
		{URL: is.URL, Audiences: []string{"tollgate"}, Algs: []string{"ES256"}}}})
	if err != nil {
		t.Fatal(err)
	}
	big := is.Token(map[string]any{"sub": "alice", "aud": "tollgate", "pad": strings.Repeat("a", subject.MaxTokenBytes)})
	if _, err := v.Verify(context.Background(), big); subject.ReasonOf(err) != subject.ReasonInvalid || err == nil {
		t.Fatalf("a %d-byte token: %v", len(big), err)
	}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": srv.URL, "jwks_uri": srv.URL + "/jwks"})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, _ *http.Request) {
		keys := strings.TrimSuffix(strings.TrimPrefix(string(is.JWKS()), `{"keys":[`), `]}`)
		_, _ = w.Write([]byte(`{"keys":[` + keys + strings.Repeat(","+keys, (2<<20)/len(keys)) + `]}`))
	})
	if _, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{{URL: srv.URL, Audiences: []string{"tollgate"}}}}); err == nil {
		t.Fatal("a 2 MiB JWKS was read")
	}
}
