package main

import (
	"errors"
	"fmt"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/spiffetls/tlsconfig"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/peer"
)

// transport is how the workload reaches Tollgate: in plaintext, or with
// -mtls over mTLS, presenting its own X.509-SVID and accepting only a server
// whose SVID has the SPIFFE ID -mtls names (as Envoy's UpstreamTlsContext
// with a SAN match does).
func transport(o options, c *creds) (grpc.DialOption, error) {
	if o.mtls == "" {
		return grpc.WithTransportCredentials(insecure.NewCredentials()), nil
	}
	id, err := spiffeid.FromString(o.mtls)
	if err != nil {
		return nil, fmt.Errorf("-mtls %q: %w", o.mtls, err)
	}
	if c.svid == nil {
		return nil, errors.New("-mtls needs an X.509-SVID from the Workload API (not -replay)")
	}
	tc := tlsconfig.MTLSClientConfig(c.svid, c.bundles, tlsconfig.AuthorizeID(id))
	return grpc.WithTransportCredentials(credentials.NewTLS(tc)), nil
}

// server describes the TLS server a Check reached: its leaf's serial (it
// changes when Tollgate's own SVID rotates) and SPIFFE ID. Both are empty
// in plaintext.
func server(p *peer.Peer) (serial, id string) {
	info, ok := p.AuthInfo.(credentials.TLSInfo)
	if !ok || len(info.State.PeerCertificates) == 0 {
		return "", ""
	}
	leaf := info.State.PeerCertificates[0]
	if len(leaf.URIs) == 1 {
		id = leaf.URIs[0].String()
	}
	return leaf.SerialNumber.Text(16), id
}
