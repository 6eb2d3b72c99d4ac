package config

import (
	"fmt"
	"slices"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"gopkg.in/yaml.v3"

	"github.com/tollgate-authz/tollgate/identity"
)

// AuthZENCaller is one entry of authzen.allowed_callers: a SPIFFE ID (any
// subject of identity.trust_domains), or {id, subjects} to limit the
// subjects that enforcement point may assert.
type AuthZENCaller struct {
	// ID is the enforcement point's SPIFFE ID. Required.
	ID string `yaml:"id"`
	// Subjects are the only subjects it may assert: exact SPIFFE IDs or
	// path prefixes ending in "/*". Required in the object form.
	Subjects []string `yaml:"subjects"`
}

// UnmarshalYAML takes the plain string or the object, strictly.
func (c *AuthZENCaller) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		var s string
		if err := n.Decode(&s); err != nil {
			return err
		}
		*c = AuthZENCaller{ID: s}
		return nil
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Value != "id" && k.Value != "subjects" {
				return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: field %s not found in type config.AuthZENCaller", k.Line, k.Value)}}
			}
		}
		type plain AuthZENCaller
		return n.Decode((*plain)(c))
	}
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: an allowed_callers entry is a SPIFFE ID or {id: ..., subjects: [...]}", n.Line)}}
}

// validateAuthZENCallers checks each caller's ID and subject patterns.
func (c *Config) validateAuthZENCallers(f *fileErrs) {
	seen := map[string]bool{}
	for i, ac := range c.AuthZEN.AllowedCallers {
		at := fmt.Sprintf("authzen.allowed_callers[%d]", i)
		if ac.ID == "" {
			f.add(at+".id", "required: the enforcement point's SPIFFE ID")
		} else if _, err := spiffeid.FromString(ac.ID); err != nil {
			f.add(at, "not a SPIFFE ID: %v", err)
		} else if seen[ac.ID] {
			f.add(at, "%s is listed twice", ac.ID)
		}
		seen[ac.ID] = true
		if ac.Subjects != nil && len(ac.Subjects) == 0 {
			f.add(at+".subjects", "name at least one subject pattern, or write the caller as a plain SPIFFE ID for any subject")
		}
		c.validateSubjectPatterns(f, at, ac.Subjects)
	}
}

func (c *Config) validateSubjectPatterns(f *fileErrs, at string, patterns []string) {
	for j, s := range patterns {
		p, err := identity.ParseIDPattern(s)
		if err != nil {
			f.add(fmt.Sprintf("%s.subjects[%d]", at, j), "%v", err)
			continue
		}
		if td := p.TrustDomain().Name(); !slices.Contains(c.Identity.TrustDomains, td) {
			f.add(fmt.Sprintf("%s.subjects[%d]", at, j), "trust domain %s is not in identity.trust_domains: no subject can match", td)
		}
	}
}
