package subject_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/internal/testca"
)

const rawIssuer = "https://tts.example.org"

// rawSigner signs hand-written JWS headers with a static ES256 key, to
// mint what a token service's library would not.
type rawSigner struct {
	key  *ecdsa.PrivateKey
	jwks []byte
}

func newRawSigner(t *testing.T) *rawSigner {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	jwks, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "ES256", Use: "sig"}}})
	if err != nil {
		t.Fatal(err)
	}
	return &rawSigner{key: key, jwks: jwks}
}

func (r *rawSigner) payload(t *testing.T) string {
	now := time.Now()
	b, err := json.Marshal(txnClaims(map[string]any{"iss": rawIssuer, "iat": now.Unix(), "exp": now.Add(time.Minute).Unix()}))
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// sign signs header (raw JSON) and the standard Txn-Token payload.
func (r *rawSigner) sign(t *testing.T, header string) string {
	in := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + r.payload(t)
	sum := sha256.Sum256([]byte(in))
	rr, ss, err := ecdsa.Sign(rand.Reader, r.key, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	rr.FillBytes(sig[:32])
	ss.FillBytes(sig[32:])
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// hs256 signs header and payload with secret (the public key, as in the
// RS/HS confusion attack).
func (r *rawSigner) hs256(t *testing.T, header string, secret []byte) string {
	return hs256(header, r.payload(t), secret)
}

// TestVerifyTxnHeaderAttacks: the JOSE header is read as JWS defines it
// (member names are case-sensitive), and what a token service never
// signs is refused: typ spelled as another member, alg none, HS256 keyed
// with the public key, crit naming an extension Tollgate does not know.
func TestVerifyTxnHeaderAttacks(t *testing.T) {
	r := newRawSigner(t)
	v := r.txnVerifier(t)
	if s, err := v.Verify(context.Background(), r.sign(t, `{"alg":"ES256","kid":"k1","typ":"txntoken+jwt"}`)); err != nil || s.ID != "alice" {
		t.Fatalf("the well-formed token is refused: %v", err)
	}
	for name, tok := range map[string]string{
		"TYP member, no typ":      r.sign(t, `{"alg":"ES256","kid":"k1","TYP":"txntoken+jwt"}`),
		"Typ after a typ":         r.sign(t, `{"alg":"ES256","kid":"k1","typ":"at+jwt","Typ":"txntoken+jwt"}`),
		"typ twice":               r.sign(t, `{"alg":"ES256","kid":"k1","typ":"at+jwt","typ":"txntoken+jwt"}`),
		"typ not a string":        r.sign(t, `{"alg":"ES256","kid":"k1","typ":["txntoken+jwt"]}`),
		"crit unknown extension":  r.sign(t, `{"alg":"ES256","kid":"k1","typ":"txntoken+jwt","crit":["tollgate-x"],"tollgate-x":1}`),
		"crit b64 false":          r.sign(t, `{"alg":"ES256","kid":"k1","typ":"txntoken+jwt","b64":false,"crit":["b64"]}`),
		"alg none":                base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"txntoken+jwt"}`)) + "." + r.payload(t) + ".",
		"HS256 with the JWKS key": r.hs256(t, `{"alg":"HS256","kid":"k1","typ":"txntoken+jwt"}`, r.jwks),
	} {
		t.Run(name, func(t *testing.T) {
			if s, err := v.Verify(context.Background(), tok); err == nil {
				t.Fatalf("accepted as %q", s.ID)
			} else if subject.ReasonOf(err) != subject.ReasonInvalid {
				t.Fatalf("reason %q, want invalid: %v", subject.ReasonOf(err), err)
			}
		})
	}
}

// TestVerifyTypeMemberCaseSensitive: a subject token issuer's Types are
// matched against the typ member only, not a "TYP" member (a
// case-insensitive reading would take an ID token for an access token).
func TestVerifyTypeMemberCaseSensitive(t *testing.T) {
	r := newRawSigner(t)
	f := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(f, r.jwks, 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{{URL: rawIssuer,
		Audiences: []string{td}, JWKSFile: f, Algs: []string{"ES256"}, Types: []string{"at+jwt"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), r.sign(t, `{"alg":"ES256","kid":"k1","typ":"at+jwt"}`)); err != nil {
		t.Fatalf("typ at+jwt refused: %v", err)
	}
	if _, err := v.Verify(context.Background(), r.sign(t, `{"alg":"ES256","kid":"k1","TYP":"at+jwt"}`)); err == nil || subject.ReasonOf(err) != subject.ReasonInvalid {
		t.Fatalf("a TYP member and no typ: %v, want refused as invalid", err)
	}
}

// signPayload signs payload (raw JSON) under a well-formed Txn-Token header.
func (r *rawSigner) signPayload(t *testing.T, payload string) string {
	in := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES256","kid":"k1","typ":"txntoken+jwt"}`)) + "." +
		base64.RawURLEncoding.EncodeToString([]byte(payload))
	sum := sha256.Sum256([]byte(in))
	rr, ss, err := ecdsa.Sign(rand.Reader, r.key, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	rr.FillBytes(sig[:32])
	ss.FillBytes(sig[32:])
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// TestVerifyTxnPayloadDifferentials: claim names are case-sensitive, so a
// payload whose registered claims (read by go-oidc through a
// case-insensitive struct) differ from what Tollgate's claims map and
// decision log hold is refused; an nbf too large for int64 is not taken
// for a time in the past.
func TestVerifyTxnPayloadDifferentials(t *testing.T) {
	r := newRawSigner(t)
	v := r.txnVerifier(t)
	now := time.Now().Unix()
	body := func(extra string) string {
		return `{"sub":"alice","txn":"t1","scope":"orders.read","req_wl":"spiffe://example.org/gateway","iat":` +
			strconv.FormatInt(now, 10) + extra + `}`
	}
	exp := `,"exp":` + strconv.FormatInt(now+60, 10)
	if _, err := v.Verify(context.Background(), r.signPayload(t, body(`,"aud":"`+td+`"`+exp))); err != nil {
		t.Fatalf("well-formed payload refused: %v", err)
	}
	for name, p := range map[string]string{
		"AUD after aud":    body(`,"aud":"other.org","AUD":"` + td + `"` + exp),
		"AUD only":         body(`,"AUD":"` + td + `"` + exp),
		"Exp only":         body(`,"aud":"` + td + `","Exp":` + strconv.FormatInt(now+60, 10)),
		"nbf beyond int64": body(`,"aud":"` + td + `"` + exp + `,"nbf":1e30`),
	} {
		t.Run(name, func(t *testing.T) {
			if s, err := v.Verify(context.Background(), r.signPayload(t, p)); err == nil {
				t.Fatalf("accepted as %q", s.ID)
			}
		})
	}
}

// TestSubjectPathRefusesTxnToken: a Txn-Token in the subject token header
// would skip the req_wl binding and the lifetime bound of the Txn-Token
// path (an issuer with no Types accepts any typ), so the subject token
// verifier refuses typ txntoken+jwt whatever its configuration.
func TestSubjectPathRefusesTxnToken(t *testing.T) {
	is := testca.NewIssuer(t)
	v, err := subject.New(context.Background(), subject.Config{Issuers: []subject.Issuer{{URL: is.URL, Audiences: []string{td}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), is.TokenWithType("JWT", txnClaims(map[string]any{"azp": "spiffe://example.org/gateway"}))); err != nil {
		t.Fatalf("a typ JWT subject token refused: %v", err)
	}
	for _, typ := range []string{"txntoken+jwt", "application/TxnToken+JWT"} {
		tok := is.TokenWithType(typ, txnClaims(map[string]any{"azp": "spiffe://example.org/gateway"}))
		if s, err := v.Verify(context.Background(), tok); err == nil {
			t.Fatalf("typ %s accepted as a subject token for %q", typ, s.ID)
		}
	}
}

// txnVerifier is a Txn-Token verifier trusting r's key (ES256, audience td).
func (r *rawSigner) txnVerifier(t *testing.T) *subject.TxnVerifier {
	t.Helper()
	f := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(f, r.jwks, 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := subject.NewTxn(context.Background(), subject.TxnConfig{JWKSFile: f, Audience: td, Algs: []string{"ES256"}})
	if err != nil {
		t.Fatal(err)
	}
	return v
}
