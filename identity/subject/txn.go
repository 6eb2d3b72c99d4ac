package subject

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// Transaction Tokens (draft-ietf-oauth-transaction-tokens).
const (
	// TxnType is the JWS typ a Txn-Token must carry.
	TxnType = "txntoken+jwt"
	// DefaultTxnMaxLifetime bounds exp - iat when the configuration names
	// no bound: the draft wants Txn-Tokens short-lived.
	DefaultTxnMaxLifetime = 5 * time.Minute
	// MaxTxnLifetime is the longest max lifetime a configuration may set.
	MaxTxnLifetime = time.Hour
	// TxnClockSkew is how far in the future iat may be.
	TxnClockSkew = 30 * time.Second
)

// TxnConfig configures a TxnVerifier: the trust domain's one logical
// transaction token service (TTS).
type TxnConfig struct {
	// Issuer, when set, is the exact iss a token must carry; keys then come
	// from OIDC discovery at Issuer unless JWKSFile is set. Without it,
	// JWKSFile is required and iss is not read (the draft makes iss
	// optional when the keys are predetermined).
	Issuer   string
	JWKSFile string
	// Audience is the trust domain's identifier; aud must name it.
	// Required: an empty audience would skip the check.
	Audience string
	// Algs are the accepted signing algorithms (default DefaultAlgs).
	Algs []string
	// MaxLifetime bounds exp - iat (default DefaultTxnMaxLifetime).
	MaxLifetime time.Duration
	HTTPClient  *http.Client
	Now         func() time.Time
}

// TxnVerifier verifies Txn-Tokens. It is safe for concurrent use.
type TxnVerifier struct {
	v        *oidc.IDTokenVerifier
	issuer   string
	audience string
	maxLife  time.Duration
	now      func() time.Time
}

// NewTxn builds a TxnVerifier, running discovery first when the keys are
// not a static file; it returns once the verifier is usable, or an error.
func NewTxn(ctx context.Context, cfg TxnConfig) (*TxnVerifier, error) {
	algs := cmpOr(cfg.Algs, DefaultAlgs)
	for _, a := range algs {
		if !slices.Contains(AllowedAlgs, a) {
			return nil, fmt.Errorf("subject: txn-token: %w: algorithm %q is not allowed (use one of %v)", ErrConfig, a, AllowedAlgs)
		}
	}
	switch {
	case cfg.Audience == "":
		return nil, fmt.Errorf("subject: txn-token: %w: an audience (the trust domain) is required", ErrConfig)
	case cfg.Issuer == "" && cfg.JWKSFile == "":
		return nil, fmt.Errorf("subject: txn-token: %w: an issuer or a JWKS file is required", ErrConfig)
	case cfg.MaxLifetime < 0 || cfg.MaxLifetime > MaxTxnLifetime:
		return nil, fmt.Errorf("subject: txn-token: %w: max lifetime must be between 0 and %s", ErrConfig, MaxTxnLifetime)
	}
	t := &TxnVerifier{issuer: cfg.Issuer, audience: cfg.Audience, maxLife: cfg.MaxLifetime, now: cfg.Now}
	if t.maxLife == 0 {
		t.maxLife = DefaultTxnMaxLifetime
	}
	if t.now == nil {
		t.now = time.Now
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	keys, err := keySet(ctx, cfg.Issuer, cfg.JWKSFile, client, t.now)
	if err != nil {
		return nil, fmt.Errorf("subject: txn-token: %w", err)
	}
	// iss and aud are checked in Verify, each with its own reason.
	oc := &oidc.Config{SkipClientIDCheck: true, SkipIssuerCheck: true, SupportedSigningAlgs: algs, Now: t.now}
	t.v = oidc.NewVerifier(cfg.Issuer, keys, oc)
	return t, nil
}

func cmpOr(a, b []string) []string {
	if len(a) > 0 {
		return a
	}
	return b
}

// Verify checks raw, the value of the Txn-Token header (exactly one JWT,
// no scheme): typ txntoken+jwt, the signature and algorithm, iss when
// configured, aud naming the trust domain, exp, iat present and not in
// the future, and exp - iat within the max lifetime; then the claims
// (TxnFromPayload). Every failure is a *Error with a bounded Reason.
func (t *TxnVerifier) Verify(ctx context.Context, raw string) (*Subject, error) {
	if raw == "" || len(raw) > MaxTokenBytes {
		return nil, fail(ReasonInvalid, "txn-token is empty or longer than %d bytes", MaxTokenBytes)
	}
	typ, err := peekType(raw)
	if err != nil {
		return nil, err
	}
	if !sameType(typ, TxnType) {
		return nil, fail(ReasonInvalid, "the token's typ is not %s", TxnType)
	}
	idt, err := t.v.Verify(ctx, raw)
	if err != nil {
		var exp *oidc.TokenExpiredError
		if errors.As(err, &exp) {
			return nil, fail(ReasonExpired, "txn-token expired")
		}
		return nil, &Error{Reason: ReasonInvalid, Err: err}
	}
	if t.issuer != "" && idt.Issuer != t.issuer {
		return nil, fail(ReasonIssuer, "the txn-token's iss is not the configured issuer")
	}
	if !slices.Contains(idt.Audience, t.audience) {
		return nil, fail(ReasonAudience, "aud does not name this trust domain")
	}
	if err := t.checkTimes(idt); err != nil {
		return nil, err
	}
	var payload json.RawMessage
	if err := idt.Claims(&payload); err != nil {
		return nil, &Error{Reason: ReasonInvalid, Err: err}
	}
	s, err := TxnFromPayload(payload)
	if err != nil {
		return nil, err
	}
	// go-oidc allows nbf five minutes of leeway; a Txn-Token lives for
	// about that long, so the skew here is TxnClockSkew.
	if nbf, ok := s.Claims["nbf"].(float64); ok && notBefore(nbf, t.now().Add(TxnClockSkew)) {
		return nil, fail(ReasonNotYet, "txn-token not yet valid")
	}
	return s, nil
}

// checkTimes: iat is required, not in the future beyond TxnClockSkew, and
// exp - iat is at most the max lifetime (go-oidc checked exp).
func (t *TxnVerifier) checkTimes(idt *oidc.IDToken) error {
	switch {
	case idt.IssuedAt.IsZero():
		return fail(ReasonInvalid, "iat is missing")
	case idt.IssuedAt.After(t.now().Add(TxnClockSkew)):
		return fail(ReasonNotYet, "iat is in the future")
	case idt.Expiry.Sub(idt.IssuedAt) > t.maxLife:
		return fail(ReasonLifetime, "exp - iat exceeds the max lifetime %s", t.maxLife)
	}
	return nil
}

// peekType reads typ from the protected header, which the signature
// covers.
func peekType(tok string) (string, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return "", fail(ReasonInvalid, "not a compact JWS")
	}
	// A map, not a struct: JOSE member names are case-sensitive, and
	// encoding/json would take "TYP" or "Typ" for typ.
	var h map[string]any
	if !decodeSegment(parts[0], &h) || h == nil {
		return "", fail(ReasonInvalid, "header is not a base64url JSON object")
	}
	typ, _ := h["typ"].(string)
	return typ, nil
}
