package identity

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"time"
)

// maxTokenLen bounds a bearer token before any decoding.
const maxTokenLen = 16 << 10

// asymmetricAlgs are the JWS algorithms go-spiffe's jwtsvid accepts.
var asymmetricAlgs = map[string]bool{
	"RS256": true, "RS384": true, "RS512": true,
	"ES256": true, "ES384": true, "ES512": true,
	"PS256": true, "PS384": true, "PS512": true,
}

// bearerToken extracts the token of "Authorization: Bearer <token>" (scheme
// case-insensitive). ok is false when there is no bearer credential at all.
func bearerToken(header string) (token string, ok bool, err *Error) {
	scheme, rest, found := strings.Cut(strings.TrimSpace(header), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", false, nil
	}
	token = strings.TrimSpace(rest)
	switch {
	case !found || token == "":
		return "", false, fail(SourceJWT, ReasonMalformed, ErrMalformed, "Authorization Bearer without a token")
	case len(token) > maxTokenLen:
		return "", false, fail(SourceJWT, ReasonMalformed, ErrMalformed, "bearer token too large")
	case strings.ContainsAny(token, " \t"):
		return "", false, fail(SourceJWT, ReasonMalformed, ErrMalformed, "bearer token contains whitespace")
	}
	return token, true, nil
}

// jwtHeader and jwtClaims are the parts of an UNVERIFIED token needed to
// classify failures precisely before signature verification.
type jwtHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
}

type jwtClaims struct {
	Sub string       `json:"sub"`
	Aud audience     `json:"aud"`
	Exp *numericDate `json:"exp"`
	Nbf *numericDate `json:"nbf"`
	Iat *numericDate `json:"iat"`
}

// audience is the aud claim: a string or an array of strings.
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*a = audience{s}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	*a = list
	return nil
}

// numericDate is a JWT NumericDate (seconds since the epoch).
type numericDate struct{ time.Time }

func (d *numericDate) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1<<40 {
		return errBadDate
	}
	sec, frac := math.Modf(f)
	d.Time = time.Unix(int64(sec), int64(frac*1e9))
	return nil
}

var errBadDate = jsonError("NumericDate out of range")

type jsonError string

func (e jsonError) Error() string { return string(e) }

// splitJWT decodes the header and claims of a compact JWS without
// verifying it. Error details never contain claim values.
func splitJWT(token string) (jwtHeader, jwtClaims, *Error) {
	var h jwtHeader
	var c jwtClaims
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return h, c, fail(SourceJWT, ReasonMalformed, ErrMalformed, "bearer token is not a compact JWS (header.payload.signature)")
	}
	if err := decodeSegment(parts[0], &h); err != nil {
		return h, c, fail(SourceJWT, ReasonMalformed, ErrMalformed, "JWT header is not base64url JSON")
	}
	if err := decodeSegment(parts[1], &c); err != nil {
		return h, c, fail(SourceJWT, ReasonMalformed, ErrMalformed, "JWT claims are not base64url JSON with valid sub, aud, exp, nbf, iat types")
	}
	return h, c, nil
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
