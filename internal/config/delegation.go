package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/tollgate-authz/tollgate/identity/subject"
)

// Delegation configures subject tokens: the user (or other party) a
// workload acts for, in a request header next to the workload's SVID.
//
//	identity:
//	  delegation:
//	    header: x-user-token            # required
//	    issuers:                        # at least one
//	      - issuer: https://idp.example.com
//	        audiences: [tollgate]       # at least one
//	        jwks: idp-jwks.json         # optional: static keys, no discovery
//	        algorithms: [RS256]         # default [RS256, ES256]
//	        token_types: [at+jwt]       # optional: accepted JWS typ values (default any)
//	    bind: [act, azp, client_id]     # default; the first present decides
//	    claims: [email]                 # copied into context.subject
//	    log_claims: [email]             # subset of claims written to the decision log
//	    entity_type: User               # default User
//	    client_ids_attribute: client_ids # Workload attribute in IAM's data
//	    txn_token: {...}                # Transaction Tokens (delegation_txn.go)
type Delegation struct {
	Header             string             `yaml:"header"`
	Issuers            []DelegationIssuer `yaml:"issuers"`
	Bind               []string           `yaml:"bind"`
	Claims             []string           `yaml:"claims"`
	LogClaims          []string           `yaml:"log_claims"`
	EntityType         string             `yaml:"entity_type"`
	ClientIDsAttribute string             `yaml:"client_ids_attribute"`
	// TxnToken accepts OAuth Transaction Tokens too (delegation_txn.go);
	// with it, header and issuers may be left out for Txn-Tokens only.
	TxnToken *TxnToken `yaml:"txn_token"`
}

// DelegationIssuer is one trusted issuer of subject tokens.
type DelegationIssuer struct {
	// Issuer is the exact iss; https://, or http:// on a loopback host.
	Issuer     string   `yaml:"issuer"`
	Audiences  []string `yaml:"audiences"`
	JWKS       string   `yaml:"jwks"`
	Algorithms []string `yaml:"algorithms"`
	// TokenTypes, when set, are the accepted JWS typ headers (at+jwt
	// for RFC 9068 access tokens), so an ID token is not taken for one.
	TokenTypes []string `yaml:"token_types"`
}

func (d *Delegation) applyDefaults(trustDomains []string) {
	if d.TxnToken != nil {
		d.TxnToken.applyDefaults(trustDomains)
	}
	if len(d.Bind) == 0 {
		d.Bind = []string{"act", "azp", "client_id"}
	}
	if d.EntityType == "" {
		d.EntityType = "User"
	}
	if d.ClientIDsAttribute == "" {
		d.ClientIDsAttribute = "client_ids"
	}
}

var (
	headerName = regexp.MustCompile(`^[A-Za-z0-9!#$%&'*+.^_|~-]+$`)
	entityType = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*$`)
	// reservedHeaders carry other credentials.
	reservedHeaders = []string{"authorization", "x-forwarded-client-cert", "cookie", "host", ":authority", ":path"}
)

func (c *Config) validateDelegation(f *fileErrs, d *Delegation) {
	const p = "identity.delegation"
	if d.TxnToken != nil {
		c.validateTxnToken(f, d.TxnToken, d.Header)
		if d.Header == "" && len(d.Issuers) == 0 {
			c.validateDelegationCommon(f, d) // Txn-Tokens only
			return
		}
	}
	switch {
	case !headerName.MatchString(d.Header):
		f.add(p+".header", "must be a header name, not %q", d.Header)
	case slices.Contains(reservedHeaders, lower(d.Header)):
		f.add(p+".header", "%s carries other credentials; use a header of its own (e.g. x-user-token)", d.Header)
	}
	if len(d.Issuers) == 0 {
		f.add(p+".issuers", "at least one issuer is required")
	}
	seen := map[string]bool{}
	for i, is := range d.Issuers {
		ip := fmt.Sprintf("%s.issuers[%d]", p, i)
		validateIssuerURL(f, ip+".issuer", is.Issuer)
		if seen[is.Issuer] {
			f.add(ip+".issuer", "%s is listed twice", is.Issuer)
		}
		seen[is.Issuer] = true
		if len(is.Audiences) == 0 || slices.Contains(is.Audiences, "") {
			f.add(ip+".audiences", "at least one non-empty audience is required (an empty list would skip the audience check)")
		}
		for j, ty := range is.TokenTypes {
			if ty == "" || strings.ContainsAny(ty, " ,") {
				f.add(fmt.Sprintf("%s.token_types[%d]", ip, j), "must be a JWS typ value such as at+jwt, not %q", ty)
			}
		}
		for j, a := range is.Algorithms {
			if !slices.Contains(subject.AllowedAlgs, a) {
				f.add(fmt.Sprintf("%s.algorithms[%d]", ip, j), "%q is not allowed; use one of %v", a, subject.AllowedAlgs)
			}
		}
	}
	if len(d.Issuers) > 1 {
		c.Warnings = append(c.Warnings, f.at(p+".issuers", "the subject of every issuer is %s::\"<sub>\", and sub is unique "+
			"only within its issuer: sub %q of one issuer is the same entity, with the same groups, as that of another; "+
			"add iss to claims and test context.subject.iss where it matters", d.EntityType, "alice"))
	}
	for i, b := range d.Bind {
		if _, err := subject.ParseClaim(b); err != nil || slices.Index(d.Bind, b) != i {
			f.add(fmt.Sprintf("%s.bind[%d]", p, i), "must be act, azp or client_id, each once; not %q", b)
		}
	}
	c.validateDelegationCommon(f, d)
}

// validateDelegationCommon checks the settings subject tokens and
// Txn-Tokens share.
func (c *Config) validateDelegationCommon(f *fileErrs, d *Delegation) {
	const p = "identity.delegation"
	for i, cl := range d.Claims {
		if cl == "" {
			f.add(fmt.Sprintf("%s.claims[%d]", p, i), "a claim name is required")
		}
	}
	for i, cl := range d.LogClaims {
		if !slices.Contains(d.Claims, cl) {
			f.add(fmt.Sprintf("%s.log_claims[%d]", p, i), "%q is not in claims; only configured claims can be marked safe to log", cl)
		}
	}
	if !entityType.MatchString(d.EntityType) || d.EntityType == "Workload" {
		f.add(p+".entity_type", "must be a Cedar entity type other than Workload, not %q", d.EntityType)
	}
	if d.ClientIDsAttribute == "" {
		f.add(p+".client_ids_attribute", "must not be empty")
	}
	c.validateTokenSignals(f, d)
}

// validateTokenSignals refuses a header signal reading a subject token or
// Txn-Token header: it would hand policies the raw, unverified token and,
// unless secret, write it to the decision log.
func (c *Config) validateTokenSignals(f *fileErrs, d *Delegation) {
	headers := []string{lower(d.Header)}
	if d.TxnToken != nil {
		headers = append(headers, lower(d.TxnToken.Header))
	}
	for i, s := range c.Signals {
		if s.From == "header" && s.Key != "" && slices.Contains(headers, lower(s.Key)) {
			f.add(fmt.Sprintf("signals[%d].key", i), "%s carries a subject token; policies read the verified subject "+
				"(context.on_behalf_of, context.subject), never the raw token", s.Key)
		}
	}
}

func validateIssuerURL(f *fileErrs, key, s string) {
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "":
		f.add(key, "must be an issuer URL (scheme, host, optional path), not %q", s)
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	default:
		f.add(key, "must be an https:// URL (http:// only on a loopback host), not %q", s)
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
