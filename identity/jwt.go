package identity

import (
	"slices"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/svid/jwtsvid"
)

// verifyJWT verifies a JWT-SVID bearer token. Pre-checks on the unverified
// token give precise reasons and apply Config.Clock; jwtsvid.ParseAndValidate
// then does the authoritative signature, audience and expiry check.
//
// A token without kid is ReasonMalformed: a JWT-SVID must name its key.
func (v *Verifier) verifyJWT(token string) (Identity, *Error) {
	return v.cached(v.jwt, cacheJWT, token, func(now time.Time) (Identity, time.Time, *Error) {
		return v.verifyJWTUncached(token, now)
	})
}

func (v *Verifier) verifyJWTUncached(token string, now time.Time) (Identity, time.Time, *Error) {
	exp, err := v.precheckJWT(token, now)
	if err != nil {
		return Identity{}, time.Time{}, err
	}
	svid, vErr := jwtsvid.ParseAndValidate(token, v.cfg.JWTBundles, v.cfg.JWTAudiences)
	if vErr != nil {
		// Every claim was checked above, so what remains is the signature,
		// or expiry by the wall clock when Config.Clock differs from it.
		if !time.Now().Before(exp) {
			return Identity{}, time.Time{}, fail(SourceJWT, ReasonExpired, ErrExpired, "token exp has passed")
		}
		return Identity{}, time.Time{}, fail(SourceJWT, ReasonBadSignature, ErrBadSignature, "token signature does not verify")
	}
	if err := v.checkVerifiedJWT(svid, token, now); err != nil {
		return Identity{}, time.Time{}, err
	}
	return Identity{ID: svid.ID, Source: SourceJWT, Claims: svid.Claims, ExpiresAt: svid.Expiry}, svid.Expiry, nil
}

// checkVerifiedJWT applies the trust decisions to what the signature check
// verified, not to the pre-check's reading of the unverified token: two
// JSON readers can disagree on a token with repeated or case-variant keys
// ("sub" and "Sub", "kid" and "Kid"), so a disagreement is malformed.
func (v *Verifier) checkVerifiedJWT(svid *jwtsvid.SVID, token string, now time.Time) *Error {
	if !v.trustedDomain(svid.ID.TrustDomain()) {
		return fail(SourceJWT, ReasonUntrustedDomain, ErrUntrustedDomain, "verified token subject's trust domain is not in TrustDomains")
	}
	if _, c, err := splitJWT(token); err != nil || c.Sub != svid.ID.String() {
		return fail(SourceJWT, ReasonMalformed, ErrMalformed, "token claims read two ways (repeated or case-variant keys)")
	}
	if !now.Before(svid.Expiry) {
		return fail(SourceJWT, ReasonExpired, ErrExpired, "token exp has passed")
	}
	return nil
}

// precheckJWT classifies an unverified token and returns its expiry.
func (v *Verifier) precheckJWT(token string, now time.Time) (time.Time, *Error) {
	h, c, err := splitJWT(token)
	if err != nil {
		return time.Time{}, err
	}
	if e := checkJWTHeader(h); e != nil {
		return time.Time{}, e
	}
	if e := v.jwtSubject(c, h.Kid); e != nil {
		return time.Time{}, e
	}
	if e := v.checkJWTTimes(c, now); e != nil {
		return time.Time{}, e
	}
	if !slices.ContainsFunc(c.Aud, func(a string) bool { return slices.Contains(v.cfg.JWTAudiences, a) }) {
		return time.Time{}, fail(SourceJWT, ReasonWrongAudience, ErrWrongAudience, "token aud names none of JWTAudiences")
	}
	return c.Exp.Time, nil
}

func checkJWTHeader(h jwtHeader) *Error {
	switch {
	case !asymmetricAlgs[h.Alg]:
		return fail(SourceJWT, ReasonUnsupportedAlg, ErrUnsupportedAlg, "JWT-SVIDs must use RS, ES or PS algorithms")
	case h.Kid == "":
		return fail(SourceJWT, ReasonMalformed, ErrMalformed, "JWT header has no kid")
	case h.Typ != "" && h.Typ != "JWT" && h.Typ != "JOSE":
		return fail(SourceJWT, ReasonMalformed, ErrMalformed, "JWT header typ is neither JWT nor JOSE")
	}
	return nil
}

// jwtSubject checks sub is a SPIFFE ID of a trusted domain with a bundle
// that holds the token's key.
func (v *Verifier) jwtSubject(c jwtClaims, kid string) *Error {
	id, err := spiffeid.FromString(c.Sub)
	if err != nil {
		return fail(SourceJWT, ReasonMalformed, ErrMalformed, "token sub is missing or not a SPIFFE ID")
	}
	td := id.TrustDomain()
	if !v.trustedDomain(td) {
		return fail(SourceJWT, ReasonUntrustedDomain, ErrUntrustedDomain, "token subject's trust domain is not in TrustDomains")
	}
	bundle, err := v.cfg.JWTBundles.GetJWTBundleForTrustDomain(td)
	if err != nil {
		return fail(SourceJWT, ReasonUntrustedDomain, ErrNoBundle, "no JWT bundle for the token subject's trust domain")
	}
	if _, ok := bundle.FindJWTAuthority(kid); !ok {
		return fail(SourceJWT, ReasonBadSignature, ErrBadSignature, "token kid is not in the JWT bundle (unknown or rotated-out key)")
	}
	return nil
}

func (v *Verifier) checkJWTTimes(c jwtClaims, now time.Time) *Error {
	skew := v.cfg.ClockSkew
	switch {
	case c.Exp == nil:
		return fail(SourceJWT, ReasonMalformed, ErrMalformed, "token has no exp claim")
	case !now.Before(c.Exp.Time):
		return fail(SourceJWT, ReasonExpired, ErrExpired, "token exp has passed")
	case c.Nbf != nil && now.Add(skew).Before(c.Nbf.Time):
		return fail(SourceJWT, ReasonNotYetValid, ErrNotYetValid, "token nbf is in the future")
	case c.Iat != nil && now.Add(skew).Before(c.Iat.Time):
		return fail(SourceJWT, ReasonNotYetValid, ErrNotYetValid, "token iat is in the future")
	}
	return nil
}
