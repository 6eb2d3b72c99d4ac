package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const txnConfig = `identity:
  trust_domains: [example.org]
  bundles:
    - trust_domain: example.org
      x509_pem: bundle.pem
  delegation:
    txn_token:
      jwks: tts-jwks.json
      algorithms: [ES256]
      tctx_claims: [action]
policy:
  dir: policies
manifests: [manifest.yaml]
`

// Txn-Tokens alone: no subject token header or issuers; the defaults
// come from the trust domain.
func TestParseTxnToken(t *testing.T) {
	cfg, err := Parse("/etc/tollgate/tollgate.yaml", []byte(txnConfig))
	if err != nil {
		t.Fatal(err)
	}
	x := cfg.Identity.Delegation.TxnToken
	if x.Header != "Txn-Token" || x.TrustDomain != "example.org" || x.Audience != "example.org" ||
		x.MaxLifetime != 5*time.Minute || x.Bind != "chain" || x.JWKS != "/etc/tollgate/tts-jwks.json" {
		t.Fatalf("defaults: %+v", x)
	}
	if len(cfg.Warnings) != 0 {
		t.Fatalf("warnings: %v", cfg.Warnings)
	}
}

// bind: trust_domain loads, loudly.
func TestParseTxnTokenTrustDomainWarns(t *testing.T) {
	cfg, err := Parse("t.yaml", []byte(strings.Replace(txnConfig, "      tctx_claims", "      bind: trust_domain\n      tctx_claims", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "t.yaml:10: identity.delegation.txn_token.bind") ||
		!strings.Contains(cfg.Warnings[0], "whole trust domain") {
		t.Fatalf("warnings: %v", cfg.Warnings)
	}
}

func TestParseTxnTokenErrors(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"no keys", "      jwks: tts-jwks.json\n", "", "identity.delegation.txn_token.issuer: an issuer"},
		{"http issuer", "      jwks: tts-jwks.json\n", "      issuer: http://tts.example.org\n", "t.yaml:8: identity.delegation.txn_token.issuer"},
		{"alg HS256", "algorithms: [ES256]", "algorithms: [HS256]", "t.yaml:9: identity.delegation.txn_token.algorithms[0]"},
		{"empty audience", "      jwks:", "      audience: ''\n      jwks:", "identity.delegation.txn_token.audience"},
		{"two trust domains", "trust_domains: [example.org]", "trust_domains: [example.org, other.org]", "identity.delegation.txn_token.trust_domain"},
		{"bad trust domain", "      jwks:", "      trust_domain: 'spiffe://x/y'\n      jwks:", "identity.delegation.txn_token.trust_domain"},
		{"trust domain not accepted", "      jwks:", "      trust_domain: other.org\n      jwks:", "identity.delegation.txn_token.trust_domain: other.org is not in identity.trust_domains"},
		{"lifetime too long", "      jwks:", "      max_lifetime: 2h\n      jwks:", "identity.delegation.txn_token.max_lifetime"},
		{"lifetime negative", "      jwks:", "      max_lifetime: -1m\n      jwks:", "identity.delegation.txn_token.max_lifetime"},
		{"bad bind", "      jwks:", "      bind: act\n      jwks:", "identity.delegation.txn_token.bind"},
		{"authorization header", "      jwks:", "      header: Authorization\n      jwks:", "identity.delegation.txn_token.header"},
		{"same header as subject tokens", "    txn_token:", "    header: Txn-Token\n    issuers:\n      - issuer: https://idp.example.com\n        audiences: [tollgate]\n    txn_token:", "identity.delegation.txn_token.header: Txn-Token is also identity.delegation.header"},
		{"subject header without issuers", "    txn_token:", "    header: X-User-Token\n    txn_token:", "identity.delegation.issuers"},
		{"tctx claim twice", "tctx_claims: [action]", "tctx_claims: [action, action]", "identity.delegation.txn_token.tctx_claims[1]"},
		{"context bool spelled yes", "      jwks:", "      context_txn_id: yes\n      jwks:", "identity.delegation.txn_token.context_txn_id: must be true or false"},
		{"unknown key", "      jwks:", "      req_wl: x\n      jwks:", `unknown key "req_wl"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(txnConfig, tc.old) {
				t.Fatalf("fixture lacks %q", tc.old)
			}
			_, err := Parse("t.yaml", []byte(strings.Replace(txnConfig, tc.old, tc.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %s", err, tc.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, not ErrInvalid", err)
			}
		})
	}
}
