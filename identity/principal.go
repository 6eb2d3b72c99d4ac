package identity

import "github.com/spiffe/go-spiffe/v2/spiffeid"

// verifyPrincipal accepts the proxy's source principal. The proxy verified
// the client certificate; we only check that it is a SPIFFE ID of a trusted
// domain.
func (v *Verifier) verifyPrincipal(principal string) (Identity, *Error) {
	id, err := spiffeid.FromString(principal)
	if err != nil {
		return Identity{}, fail(SourcePrincipal, ReasonMalformed, ErrMalformed, "source principal is not a SPIFFE ID: "+err.Error())
	}
	if !v.trustedDomain(id.TrustDomain()) {
		return Identity{}, fail(SourcePrincipal, ReasonUntrustedDomain, ErrUntrustedDomain,
			"source principal trust domain "+id.TrustDomain().Name()+" is not in TrustDomains")
	}
	return Identity{ID: id, Source: SourcePrincipal}, nil
}
