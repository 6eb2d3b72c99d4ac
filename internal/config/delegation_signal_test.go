package config

import (
	"errors"
	"strings"
	"testing"
)

// TestDelegationHeaderNotASignal: a header signal reading the subject
// token or Txn-Token header would copy the raw, unverified token into the
// Cedar context and, unless marked secret, the decision log. It is
// refused, whatever the case of the key or the secret flag.
func TestDelegationHeaderNotASignal(t *testing.T) {
	txn := strings.Replace(delegConfig, "    claims: [email, acr]", "    txn_token:\n      jwks: tts.json\n    claims: [email, acr]", 1)
	for name, tc := range map[string]struct{ cfg, key, secret string }{
		"subject header":           {delegConfig, "x-user-token", "false"},
		"subject header, any case": {delegConfig, "X-USER-TOKEN", "false"},
		"subject header, secret":   {delegConfig, "X-User-Token", "true"},
		"txn-token header":         {txn, "txn-token", "false"},
		"txn-token header, secret": {txn, "Txn-Token", "true"},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := tc.cfg + "signals:\n  - name: tok\n    from: header\n    key: " + tc.key + "\n    secret: " + tc.secret + "\n"
			_, err := Parse("t.yaml", []byte(cfg))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "signals[0].key") {
				t.Fatalf("err = %v, want one naming signals[0].key", err)
			}
		})
	}
	ok := delegConfig + "signals:\n  - name: tenant\n    from: header\n    key: x-tenant\n"
	if _, err := Parse("t.yaml", []byte(ok)); err != nil {
		t.Fatalf("another header signal: %v", err)
	}
}

// TestDelegationIssuersShareSubjects: the subject entity is
// <entity_type>::"<sub>" whatever the issuer, and sub is unique only
// within its issuer: with two issuers, sub "alice" of either is the same
// User::"alice", with the same groups. The config says so at load.
func TestDelegationIssuersShareSubjects(t *testing.T) {
	cfg, err := Parse("t.yaml", []byte(delegConfig))
	if err != nil || len(cfg.Warnings) != 0 {
		t.Fatalf("one issuer: %v, warnings %q", err, cfg.Warnings)
	}
	two := strings.Replace(delegConfig, "    claims: [email, acr]",
		"      - issuer: https://partner.example.com\n        audiences: [tollgate]\n        jwks: partner.json\n    claims: [email, acr]", 1)
	cfg, err = Parse("t.yaml", []byte(two))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) != 1 || !strings.HasPrefix(cfg.Warnings[0], "t.yaml:9: identity.delegation.issuers: ") ||
		!strings.Contains(cfg.Warnings[0], `User::"<sub>"`) {
		t.Fatalf("warnings = %q, want one on identity.delegation.issuers naming the shared User::\"<sub>\"", cfg.Warnings)
	}
}
