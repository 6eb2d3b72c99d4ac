package identity

import "github.com/spiffe/go-spiffe/v2/spiffeid"

// verifyPrincipal accepts the proxy's source principal. The proxy verified
// the client certificate; we only check that it is a SPIFFE ID of a trusted
// domain.
func (v *Verifier) verifyPrincipal(principal string) (Identity, *Error) {
	return v.asserted(principal, SourcePrincipal, "source principal")
}

// VerifyAsserted accepts a SPIFFE ID that a caller Tollgate verified
// asserts on another's behalf (an AuthZEN enforcement point's subject),
// by the rule the source principal follows: a well-formed SPIFFE ID of one
// of Config.TrustDomains. src names where it came from, in the Identity
// and the error. Nothing about the ID is proven, so it is not counted in
// the tollgate_identity_* metrics. Errors are *Error (ReasonMalformed or
// ReasonUntrustedDomain).
func (v *Verifier) VerifyAsserted(id string, src Source) (Identity, error) {
	out, err := v.asserted(id, src, "asserted SPIFFE ID")
	if err != nil {
		return Identity{}, err
	}
	return out, nil
}

// asserted is the one rule for a SPIFFE ID Tollgate did not verify itself.
func (v *Verifier) asserted(s string, src Source, what string) (Identity, *Error) {
	id, err := spiffeid.FromString(s)
	if err != nil {
		return Identity{}, fail(src, ReasonMalformed, ErrMalformed, what+" is not a SPIFFE ID: "+err.Error())
	}
	if !v.trustedDomain(id.TrustDomain()) {
		return Identity{}, fail(src, ReasonUntrustedDomain, ErrUntrustedDomain,
			what+" trust domain "+id.TrustDomain().Name()+" is not in TrustDomains")
	}
	return Identity{ID: id, Source: src}, nil
}
