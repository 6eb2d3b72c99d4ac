package config

import (
	"fmt"
	"net/url"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// AuthZEN configures the AuthZEN 1.0 Access Evaluation API listener, for
// enforcement points that are not proxies. Absent: off.
type AuthZEN struct {
	// Listen is host:port of the HTTPS listener. Required.
	Listen string `yaml:"listen"`
	// AllowedCallers are the SPIFFE IDs of the enforcement points that may
	// ask; every caller presents an X.509-SVID. Required.
	AllowedCallers []string `yaml:"allowed_callers"`
	// PolicyDecisionPoint is the PDP identifier published in the metadata:
	// an https URL with no query or fragment. Required.
	PolicyDecisionPoint string `yaml:"policy_decision_point"`
	// MaxBodyBytes bounds a request body (0: 1 MiB).
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// MaxEvaluations bounds an evaluations array (0: 100).
	MaxEvaluations int `yaml:"max_evaluations"`
}

func (c *Config) validateAuthZEN(f *fileErrs) {
	a := c.AuthZEN
	if a == nil {
		return
	}
	if a.Listen == "" {
		f.add("authzen.listen", "required: the HTTPS listener's host:port")
	}
	if len(a.AllowedCallers) == 0 {
		f.add("authzen.allowed_callers", "required: name the enforcement points (SPIFFE IDs) that may ask")
	}
	for i, id := range a.AllowedCallers {
		if _, err := spiffeid.FromString(id); err != nil {
			f.add(fmt.Sprintf("authzen.allowed_callers[%d]", i), "not a SPIFFE ID: %v", err)
		}
	}
	u, err := url.Parse(a.PolicyDecisionPoint)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		f.add("authzen.policy_decision_point", "must be an https URL with a host and no query or fragment, such as https://tollgate.example.org:8443, not %q", a.PolicyDecisionPoint)
	}
	if a.MaxBodyBytes < 0 || a.MaxEvaluations < 0 {
		f.add("authzen", "max_body_bytes and max_evaluations must not be negative")
	}
	if c.Identity.WorkloadAPI == nil {
		f.add("authzen", "needs identity.workload_api for Tollgate's own SVID (the listener's server certificate)")
	}
}
