package config

import (
	"fmt"
	"slices"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity/subject"
)

// TxnToken configures OAuth Transaction Tokens
// (draft-ietf-oauth-transaction-tokens): the subject comes in a token the
// trust domain's transaction token service minted.
//
//	identity:
//	  delegation:
//	    txn_token:
//	      header: Txn-Token              # default
//	      issuer: https://tts.example.org # exact iss; keys by discovery unless jwks is set
//	      jwks: tts-jwks.json            # static keys; then issuer is optional
//	      algorithms: [ES256]            # default [RS256, ES256]
//	      trust_domain: example.org      # default: the one entry of identity.trust_domains
//	      audience: example.org          # default: trust_domain
//	      max_lifetime: 5m               # exp - iat; default 5m, at most 1h
//	      bind: chain                    # chain (default), requester or trust_domain
//	      context_txn_id: true           # context.txn_id
//	      context_scope: true            # context.txn_scope
//	      tctx_claims: [action]          # context.tctx
type TxnToken struct {
	Header       string        `yaml:"header"`
	Issuer       string        `yaml:"issuer"`
	JWKS         string        `yaml:"jwks"`
	Algorithms   []string      `yaml:"algorithms"`
	TrustDomain  string        `yaml:"trust_domain"`
	Audience     string        `yaml:"audience"`
	MaxLifetime  time.Duration `yaml:"max_lifetime"`
	Bind         string        `yaml:"bind"`
	ContextTxnID bool          `yaml:"context_txn_id"`
	ContextScope bool          `yaml:"context_scope"`
	TCtxClaims   []string      `yaml:"tctx_claims"`
}

func (t *TxnToken) applyDefaults(trustDomains []string) {
	if t.Header == "" {
		t.Header = "Txn-Token"
	}
	if t.TrustDomain == "" && len(trustDomains) == 1 {
		t.TrustDomain = trustDomains[0]
	}
	if t.Audience == "" {
		t.Audience = t.TrustDomain
	}
	if t.MaxLifetime == 0 {
		t.MaxLifetime = subject.DefaultTxnMaxLifetime
	}
	if t.Bind == "" {
		t.Bind = string(subject.TxnBindChain)
	}
}

func (c *Config) validateTxnToken(f *fileErrs, t *TxnToken, subjectHeader string) {
	const p = "identity.delegation.txn_token"
	switch {
	case !headerName.MatchString(t.Header):
		f.add(p+".header", "must be a header name, not %q", t.Header)
	case slices.Contains(reservedHeaders, lower(t.Header)):
		f.add(p+".header", "%s carries other credentials; the draft names Txn-Token", t.Header)
	case lower(t.Header) == lower(subjectHeader):
		f.add(p+".header", "%s is also identity.delegation.header; a Txn-Token needs a header of its own", t.Header)
	}
	switch {
	case t.Issuer == "" && t.JWKS == "":
		f.add(p+".issuer", "an issuer (keys by OIDC discovery) or jwks (static keys) is required")
	case t.Issuer != "":
		validateIssuerURL(f, p+".issuer", t.Issuer)
	}
	for j, a := range t.Algorithms {
		if !slices.Contains(subject.AllowedAlgs, a) {
			f.add(fmt.Sprintf("%s.algorithms[%d]", p, j), "%q is not allowed; use one of %v", a, subject.AllowedAlgs)
		}
	}
	if td, err := spiffeid.TrustDomainFromString(t.TrustDomain); err != nil || t.TrustDomain == "" || td.Name() != t.TrustDomain {
		f.add(p+".trust_domain", "must name the trust domain the tokens are valid in, e.g. example.org "+
			"(required when identity.trust_domains has not exactly one entry), not %q", t.TrustDomain)
	} else if !slices.Contains(c.Identity.TrustDomains, t.TrustDomain) {
		f.add(p+".trust_domain", "%s is not in identity.trust_domains, so no caller presenting its tokens is ever accepted", t.TrustDomain)
	}
	// An explicit empty value is refused, not replaced by the default.
	if n := nodeAt(f.root, p+".audience"); t.Audience == "" || (n != nil && n.Value == "") {
		f.add(p+".audience", "must not be empty (an empty audience would skip the check)")
	}
	if t.MaxLifetime < 0 || t.MaxLifetime > subject.MaxTxnLifetime {
		f.add(p+".max_lifetime", "must be between 1s and %s; Txn-Tokens are short-lived, not %s", subject.MaxTxnLifetime, t.MaxLifetime)
	}
	b, err := subject.ParseTxnBinding(t.Bind)
	if err != nil {
		f.add(p+".bind", "must be chain, requester or trust_domain, not %q", t.Bind)
	}
	if b == subject.TxnBindTrustDomain {
		c.Warnings = append(c.Warnings, f.at(p+".bind", "trust_domain: any workload of %s may present any Txn-Token it gets hold of "+
			"(req_wl is not checked); the transaction token service's trust boundary is the whole trust domain", t.TrustDomain))
	}
	for i, cl := range t.TCtxClaims {
		if cl == "" || slices.Index(t.TCtxClaims, cl) != i {
			f.add(fmt.Sprintf("%s.tctx_claims[%d]", p, i), "must be a tctx member name, each once; not %q", cl)
		}
	}
}
