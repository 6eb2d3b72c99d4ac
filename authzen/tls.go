package authzen

import (
	"crypto/tls"

	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/spiffetls/tlsconfig"
	"github.com/spiffe/go-spiffe/v2/svid/x509svid"
)

// TLSConfig is the listener's TLS: Tollgate's own X.509-SVID from svid,
// and a required client X.509-SVID that chains to bundles and is one of
// callers. Any other client fails the handshake.
func TLSConfig(svid x509svid.Source, bundles x509bundle.Source, callers []spiffeid.ID) *tls.Config {
	tc := tlsconfig.MTLSServerConfig(svid, bundles, tlsconfig.AuthorizeOneOf(callers...))
	tc.MinVersion = tls.VersionTLS12
	return tc
}
