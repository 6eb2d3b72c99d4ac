package identity

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

func TestVerifyJWT(t *testing.T) {
	e := newEnv(t, nil)
	rogue := testca.New(t, "example.org")
	hour := time.Hour
	valid := e.ca.NewJWTSVID("/svc", testAud, testca.WithClaim("team", "payments"))
	parts := strings.Split(valid, ".")
	tampered := parts[0] + "." + strings.Split(e.ca.NewJWTSVID("/admin", testAud), ".")[1] + "." + parts[2]
	tests := []struct {
		name string
		auth string
		want want
	}{
		{"valid", "Bearer " + valid, want{id: "spiffe://example.org/svc", source: SourceJWT}},
		{"scheme is case-insensitive", "bEaReR " + valid, want{id: "spiffe://example.org/svc", source: SourceJWT}},
		{"one of several audiences", "Bearer " + e.ca.NewJWTSVID("/svc", []string{"x", "tollgate"}), want{id: "spiffe://example.org/svc", source: SourceJWT}},
		{"string audience", "Bearer " + e.ca.NewJWTSVID("/svc", nil, testca.WithClaim("aud", "tollgate")), want{id: "spiffe://example.org/svc", source: SourceJWT}},
		{"wrong audience", "Bearer " + e.ca.NewJWTSVID("/svc", []string{"other"}), want{reason: ReasonWrongAudience, is: ErrWrongAudience}},
		{"no audience", "Bearer " + e.ca.NewJWTSVID("/svc", nil), want{reason: ReasonWrongAudience}},
		{"alg none", "Bearer " + e.ca.NewJWTAlgNone("/svc", testAud), want{reason: ReasonUnsupportedAlg, is: ErrUnsupportedAlg}},
		{"HS256", "Bearer " + e.ca.NewJWTHS256("/svc", testAud, e.ca.JWKS()), want{reason: ReasonUnsupportedAlg}},
		{"missing kid", "Bearer " + e.ca.NewJWTSVID("/svc", testAud, testca.WithKeyID("")), want{reason: ReasonMalformed, is: ErrMalformed}},
		{"unknown kid", "Bearer " + e.ca.NewJWTUnknownKey("/svc", testAud), want{reason: ReasonBadSignature, is: ErrBadSignature}},
		{"known kid, wrong key", "Bearer " + rogue.NewJWTSVID("/svc", testAud, testca.WithKeyID(e.ca.JWTKeyID())), want{reason: ReasonBadSignature}},
		{"tampered claims", "Bearer " + tampered, want{reason: ReasonBadSignature}},
		{"expired", "Bearer " + e.ca.NewJWTSVID("/svc", testAud, testca.WithExpiry(time.Now().Add(-hour)), testca.WithIssuedAt(time.Now().Add(-2*hour))), want{reason: ReasonExpired, is: ErrExpired}},
		{"not yet valid", "Bearer " + e.ca.NewJWTSVID("/svc", testAud, testca.WithNotBefore(time.Now().Add(hour))), want{reason: ReasonNotYetValid, is: ErrNotYetValid}},
		{"issued in the future", "Bearer " + e.ca.NewJWTSVID("/svc", testAud, testca.WithIssuedAt(time.Now().Add(hour))), want{reason: ReasonNotYetValid}},
		{"no exp", "Bearer " + e.ca.NewJWTSVID("/svc", testAud, testca.WithClaim("exp", nil)), want{reason: ReasonMalformed}},
		{"sub not a SPIFFE ID", "Bearer " + e.ca.NewJWTSVID("/svc", testAud, testca.WithClaim("sub", "alice")), want{reason: ReasonMalformed}},
		{"foreign trust domain", "Bearer " + e.other.NewJWTSVID("/svc", testAud), want{reason: ReasonUntrustedDomain, is: ErrUntrustedDomain}},
		{"trusted domain without bundle", "Bearer " + testca.New(t, "nobundle.org").NewJWTSVID("/svc", testAud), want{reason: ReasonUntrustedDomain, is: ErrNoBundle}},
		{"bad typ", "Bearer " + e.ca.NewJWTSVID("/svc", testAud, testca.WithHeader("typ", "at+jwt")), want{reason: ReasonMalformed}},
		{"bearer without token", "Bearer ", want{reason: ReasonMalformed}},
		{"two dots missing", "Bearer abc.def", want{reason: ReasonMalformed}},
		{"JWE shape", "Bearer a.b.c.d.e", want{reason: ReasonMalformed}},
		{"token with inner space", "Bearer " + valid + " extra", want{reason: ReasonMalformed}},
		{"basic auth is no credential", "Basic dXNlcjpwYXNz", want{reason: ReasonMissing, is: ErrNoIdentity}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := e.verify(Credentials{Authorization: tc.auth})
			tc.want.check(t, id, err)
		})
	}
}

func TestVerifyJWTClaims(t *testing.T) {
	e := newEnv(t, nil)
	id, err := e.verify(Credentials{Authorization: "Bearer " + e.ca.NewJWTSVID("/svc", testAud, testca.WithClaim("team", "payments"))})
	if err != nil {
		t.Fatal(err)
	}
	if id.Claims["team"] != "payments" || id.Claims["sub"] != "spiffe://example.org/svc" {
		t.Fatalf("claims = %v", id.Claims)
	}
	if id.ExpiresAt.IsZero() {
		t.Fatal("ExpiresAt not set")
	}
}

func TestVerifyJWTDisabledIgnoresBearer(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.JWTBundles, c.JWTAudiences = nil, nil })
	_, err := e.verify(Credentials{Authorization: "Bearer " + e.ca.NewJWTSVID("/svc", testAud)})
	want{reason: ReasonMissing, is: ErrNoIdentity}.check(t, Identity{}, err)
}

func TestVerifyErrorsHideSecrets(t *testing.T) {
	e := newEnv(t, nil)
	secretAud := "secret-audience-value"
	token := e.ca.NewJWTSVID("/secret-path", []string{secretAud}, testca.WithClaim("pw", "hunter2"))
	for _, auth := range []string{"Bearer " + token, "Bearer " + e.other.NewJWTSVID("/secret-path", testAud)} {
		_, err := e.verify(Credentials{Authorization: auth})
		if err == nil {
			t.Fatal("want error")
		}
		for _, s := range []string{token, secretAud, "hunter2", "secret-path"} {
			if strings.Contains(err.Error(), s) {
				t.Fatalf("error %q leaks %q", err, s)
			}
		}
	}
}

// A token whose header and claims repeat keys in another case is read one
// way by the pre-check (encoding/json: case-insensitive, last wins) and
// another by the signature check (exact keys). Signed by an untrusted
// domain's key, it must not come back as that domain's verified identity.
func TestJWTParserDifferentialDenied(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.other.NewJWTSVID("/attacker", testAud,
		// U+212A (Kelvin sign) and U+017F (long s) fold to k and s, and the
		// keys sort after "kid" and "sub", so a case-insensitive reader that
		// keeps the last value sees the trusted domain's key and subject.
		testca.WithHeader("\u212aid", e.ca.JWTKeyID()),
		testca.WithClaim("\u017fub", "spiffe://example.org/victim"))
	id, err := e.v.Verify(context.Background(), Credentials{Authorization: "Bearer " + tok})
	if err == nil {
		t.Fatalf("verified %s from an untrusted trust domain", id.ID)
	}
	if r := ReasonOf(err); r != ReasonUntrustedDomain && r != ReasonMalformed {
		t.Fatalf("reason %s, want untrusted_domain or malformed", r)
	}
}
