package config

import (
	"errors"
	"strings"
	"testing"
)

const delegConfig = `identity:
  trust_domains: [example.org]
  bundles:
    - trust_domain: example.org
      x509_pem: bundle.pem
  delegation:
    header: X-User-Token
    issuers:
      - issuer: https://idp.example.com
        audiences: [tollgate]
        jwks: idp-jwks.json
        algorithms: [RS256]
        token_types: [at+jwt]
    claims: [email, acr]
    log_claims: [acr]
policy:
  dir: policies
manifests: [manifest.yaml]
`

func TestParseDelegation(t *testing.T) {
	cfg, err := Parse("/etc/tollgate/tollgate.yaml", []byte(delegConfig))
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Identity.Delegation
	if d.EntityType != "User" || d.ClientIDsAttribute != "client_ids" || strings.Join(d.Bind, ",") != "act,azp,client_id" {
		t.Fatalf("defaults: %+v", d)
	}
	if d.Issuers[0].JWKS != "/etc/tollgate/idp-jwks.json" {
		t.Fatalf("jwks path not resolved: %q", d.Issuers[0].JWKS)
	}
}

func TestParseDelegationErrors(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"no header", "    header: X-User-Token\n", "", "t.yaml:7: identity.delegation.header"},
		{"authorization header", "header: X-User-Token", "header: Authorization", "identity.delegation.header: Authorization carries other credentials"},
		{"bad header", "header: X-User-Token", "header: 'x user'", "identity.delegation.header"},
		{"no issuers", "    issuers:\n      - issuer: https://idp.example.com\n        audiences: [tollgate]\n        jwks: idp-jwks.json\n        algorithms: [RS256]\n        token_types: [at+jwt]\n", "", "identity.delegation.issuers"},
		{"http issuer", "issuer: https://idp.example.com", "issuer: http://idp.example.com", "t.yaml:9: identity.delegation.issuers[0].issuer"},
		{"no audiences", "        audiences: [tollgate]\n", "", "identity.delegation.issuers[0].audiences"},
		{"empty audience", "audiences: [tollgate]", "audiences: ['']", "identity.delegation.issuers[0].audiences"},
		{"alg none", "algorithms: [RS256]", "algorithms: [none]", "t.yaml:12: identity.delegation.issuers[0].algorithms[0]"},
		{"alg HS256", "algorithms: [RS256]", "algorithms: [RS256, HS256]", "identity.delegation.issuers[0].algorithms[1]"},
		{"empty token type", "token_types: [at+jwt]", "token_types: ['']", "t.yaml:13: identity.delegation.issuers[0].token_types[0]"},
		{"bad bind", "    claims: [email, acr]", "    bind: [sub]\n    claims: [email, acr]", "identity.delegation.bind[0]"},
		{"bind twice", "    claims: [email, acr]", "    bind: [azp, azp]\n    claims: [email, acr]", "identity.delegation.bind[1]"},
		{"log claim not configured", "log_claims: [acr]", "log_claims: [sub]", "identity.delegation.log_claims[0]"},
		{"entity type Workload", "    claims: [email, acr]", "    entity_type: Workload\n    claims: [email, acr]", "identity.delegation.entity_type"},
		{"entity type bad", "    claims: [email, acr]", "    entity_type: 'User \"x\"'\n    claims: [email, acr]", "identity.delegation.entity_type"},
		{"unknown key", "    claims: [email, acr]", "    claim: [email]", `unknown key "claim"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(delegConfig, tc.old) {
				t.Fatalf("fixture lacks %q", tc.old)
			}
			_, err := Parse("t.yaml", []byte(strings.Replace(delegConfig, tc.old, tc.new, 1)))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %s", err, tc.want)
			}
		})
	}
}
