package identity

import (
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// Source names where a verified identity came from, strongest first.
type Source string

const (
	SourceX509      Source = "x509"      // peer certificate forwarded by the proxy
	SourcePrincipal Source = "principal" // source.principal of an mTLS connection the proxy terminated
	SourceXFCC      Source = "xfcc"      // x-forwarded-client-cert from a trusted hop
	SourceJWT       Source = "jwt"       // JWT-SVID in Authorization: Bearer
)

// Identity is a verified SPIFFE workload identity.
type Identity struct {
	ID     spiffeid.ID
	Source Source
	// Claims holds the verified JWT-SVID claims (JWT source only). Never log values.
	Claims map[string]any
	// ExpiresAt is when the credential stops being valid (zero when unknown).
	ExpiresAt time.Time
}

// Credentials is what a proxy adapter extracted from a request. Every field is
// untrusted input until a Verifier has checked it.
type Credentials struct {
	// PeerCertificate is the URL-encoded PEM leaf certificate, as in Envoy's
	// attributes.source.certificate.
	PeerCertificate string
	// SourcePrincipal is Envoy's attributes.source.principal.
	SourcePrincipal string
	// XFCC is the raw x-forwarded-client-cert header value.
	XFCC string
	// Authorization is the raw Authorization header value.
	Authorization string
	// Hop is the verified SPIFFE ID of the proxy that sent the request, if known
	// (used to decide whether XFCC may be trusted).
	Hop spiffeid.ID
	// HopAddress is the network address of the proxy that sent the request.
	HopAddress string
}
