package subject

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	neturl "net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// MaxTokenBytes bounds a subject token; a longer one is refused.
const MaxTokenBytes = 16 << 10

// DefaultAlgs are the signing algorithms accepted when an issuer names none.
var DefaultAlgs = []string{"RS256", "ES256"}

// AllowedAlgs are the signing algorithms an issuer may name: asymmetric only.
var AllowedAlgs = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// Issuer is one trusted token issuer.
type Issuer struct {
	// URL is the issuer identifier (the token's iss, exactly).
	URL string
	// Audiences: a token must name at least one in aud.
	Audiences []string
	// JWKSFile, when set, is a static JWKS; otherwise keys come from
	// OIDC discovery at URL, cached and refreshed (remoteKeys).
	JWKSFile string
	// Algs are the accepted signing algorithms (default DefaultAlgs).
	Algs []string
	// Types, when set, are the accepted JWS typ headers (e.g. at+jwt for
	// RFC 9068 access tokens, so an ID token is not taken for one);
	// compared without case and without an "application/" prefix.
	Types []string
}

// Config configures a Verifier.
type Config struct {
	Issuers []Issuer
	// HTTPClient is used for discovery and JWKS; nil means a client with
	// a 10s timeout.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Verifier verifies subject tokens from the configured issuers. It is safe
// for concurrent use.
type Verifier struct {
	issuers map[string]*issuer
	now     func() time.Time
	client  *http.Client
}

type issuer struct {
	v     *oidc.IDTokenVerifier
	auds  []string
	types []string
}

// New builds a Verifier. It runs discovery for every issuer without a
// JWKSFile, so it returns only once each issuer is usable, or an error.
func New(ctx context.Context, cfg Config) (*Verifier, error) {
	if len(cfg.Issuers) == 0 {
		return nil, fmt.Errorf("subject: %w: no issuers", ErrConfig)
	}
	v := &Verifier{issuers: make(map[string]*issuer, len(cfg.Issuers)), now: cfg.Now}
	if v.now == nil {
		v.now = time.Now
	}
	v.client = cfg.HTTPClient
	if v.client == nil {
		v.client = &http.Client{Timeout: 10 * time.Second}
	}
	ctx = oidc.ClientContext(ctx, v.client)
	for _, is := range cfg.Issuers {
		iv, err := v.newIssuer(ctx, is)
		if err != nil {
			return nil, fmt.Errorf("subject: issuer %q: %w", is.URL, err)
		}
		if _, dup := v.issuers[is.URL]; dup {
			return nil, fmt.Errorf("subject: %w: issuer %q listed twice", ErrConfig, is.URL)
		}
		v.issuers[is.URL] = iv
	}
	return v, nil
}

func (v *Verifier) newIssuer(ctx context.Context, is Issuer) (*issuer, error) {
	algs := is.Algs
	if len(algs) == 0 {
		algs = DefaultAlgs
	}
	for _, a := range algs {
		if !slices.Contains(AllowedAlgs, a) {
			return nil, fmt.Errorf("%w: algorithm %q is not allowed (use one of %v)", ErrConfig, a, AllowedAlgs)
		}
	}
	if is.URL == "" || len(is.Audiences) == 0 {
		return nil, fmt.Errorf("%w: an issuer needs a URL and at least one audience", ErrConfig)
	}
	// The audience is checked here, against any of Audiences; go-oidc
	// checks one client id only.
	oc := &oidc.Config{SkipClientIDCheck: true, SupportedSigningAlgs: algs, Now: v.now}
	keys, err := keySet(ctx, is.URL, is.JWKSFile, v.client, v.now)
	if err != nil {
		return nil, err
	}
	return &issuer{v: oidc.NewVerifier(is.URL, keys, oc), auds: is.Audiences, types: is.Types}, nil
}

// keySet is an issuer's keys: the static JWKS file when set, otherwise
// the jwks_uri of OIDC discovery at url, cached and refreshed
// (remoteKeys). Subject tokens and Txn-Tokens share it.
func keySet(ctx context.Context, url, jwksFile string, client *http.Client, now func() time.Time) (oidc.KeySet, error) {
	if jwksFile != "" {
		return loadJWKS(jwksFile)
	}
	client = secureClient(client)
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, client), url)
	if err != nil {
		return nil, fmt.Errorf("discovery: %w", err)
	}
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := p.Claims(&meta); err != nil || meta.JWKSURI == "" {
		return nil, fmt.Errorf("discovery: no jwks_uri")
	}
	u, err := neturl.Parse(meta.JWKSURI)
	if err != nil {
		return nil, fmt.Errorf("discovery: jwks_uri: %w", err)
	}
	if err := secureURL(u); err != nil {
		return nil, fmt.Errorf("discovery: jwks_uri: %w", err)
	}
	return newRemoteKeys(ctx, meta.JWKSURI, client, now)
}

// Verify checks raw (a JWT, optionally prefixed "Bearer ") and returns the
// subject. Every failure is a *Error with a bounded Reason; the token is
// never part of the message.
func (v *Verifier) Verify(ctx context.Context, raw string) (*Subject, error) {
	tok := raw
	if len(tok) > 7 && strings.EqualFold(tok[:7], "bearer ") {
		tok = tok[7:]
	}
	if tok == "" || len(tok) > MaxTokenBytes {
		return nil, fail(ReasonInvalid, "token is empty or longer than %d bytes", MaxTokenBytes)
	}
	iss, typ, err := peek(tok)
	if err != nil {
		return nil, err
	}
	is, ok := v.issuers[iss]
	if !ok {
		return nil, fail(ReasonIssuer, "the token's issuer is not configured")
	}
	if sameType(typ, TxnType) {
		// A Txn-Token is bound by req_wl and short-lived only on its own
		// path (TxnVerifier); as a subject token it would skip both.
		return nil, fail(ReasonInvalid, "a txn-token is not a subject token")
	}
	if len(is.types) > 0 && !slices.ContainsFunc(is.types, func(t string) bool { return sameType(t, typ) }) {
		return nil, fail(ReasonInvalid, "the token's typ is not an accepted type")
	}
	idt, err := is.v.Verify(ctx, tok)
	if err != nil {
		var exp *oidc.TokenExpiredError
		if errors.As(err, &exp) {
			return nil, fail(ReasonExpired, "token expired")
		}
		return nil, &Error{Reason: ReasonInvalid, Err: err}
	}
	if !slices.ContainsFunc(idt.Audience, func(a string) bool { return slices.Contains(is.auds, a) }) {
		return nil, fail(ReasonAudience, "no accepted audience in aud")
	}
	var payload json.RawMessage
	if err := idt.Claims(&payload); err != nil {
		return nil, &Error{Reason: ReasonInvalid, Err: err}
	}
	s, err := FromPayload(payload)
	if err != nil {
		return nil, err
	}
	if nbf, ok := s.Claims["nbf"].(float64); ok && notBefore(nbf, v.now()) {
		return nil, fail(ReasonNotYet, "token not yet valid")
	}
	return s, nil
}

// peek reads iss from the unverified payload, only to choose the
// verifier (which checks it again after the signature), and typ from the
// protected header, which the signature covers.
func peek(tok string) (iss, typ string, err error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return "", "", fail(ReasonInvalid, "not a compact JWS")
	}
	// The header as a map: JOSE member names are case-sensitive, and
	// encoding/json would take "TYP" for typ.
	var h map[string]any
	var c struct {
		Iss any `json:"iss"`
	}
	if !decodeSegment(parts[0], &h) || h == nil || !decodeSegment(parts[1], &c) {
		return "", "", fail(ReasonInvalid, "header or payload is not a base64url JSON object")
	}
	iss, ok := c.Iss.(string)
	if !ok || iss == "" {
		return "", "", fail(ReasonInvalid, "iss is missing or not a string")
	}
	typ, _ = h["typ"].(string)
	return iss, typ, nil
}

func decodeSegment(seg string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	return err == nil && json.Unmarshal(b, v) == nil
}

// sameType compares JWS typ values as RFC 7515 says: without case, and
// "application/" may be left out.
func sameType(a, b string) bool {
	trim := func(s string) string {
		s = strings.ToLower(s)
		return strings.TrimPrefix(s, "application/")
	}
	return trim(a) == trim(b)
}
