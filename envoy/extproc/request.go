package extproc

import (
	"context"
	"strings"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	procv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/envoy"
	"github.com/tollgate-authz/tollgate/identity"
)

// Envoy attributes (request_attributes in the ext_proc filter) Tollgate
// reads: the downstream peer certificate's URI SAN is what ext_authz
// receives as source.principal.
const (
	attrPeerURISAN = "connection.uri_san_peer_certificate"
	attrSourceAddr = "source.address"
)

// toRequest builds the request a response answers from the request
// headers phase, with the identity inputs ext_authz verifies: the
// Authorization header (JWT-SVID), XFCC from the hop that called Tollgate,
// and the peer certificate's URI SAN. Headers ext_authz added
// (x-spiffe-id) are never trusted: FilterTools verifies again.
func toRequest(ctx context.Context, h *procv3.HttpHeaders, attrs map[string]*structpb.Struct, normalized bool) *authz.Request {
	headers := headerMap(h.GetHeaders())
	r := &authz.Request{
		Method:              headers[":method"],
		Path:                headers[":path"],
		Host:                headers[":authority"],
		Scheme:              headers[":scheme"],
		Headers:             headers,
		ContentLength:       -1,
		ProxyNormalizedPath: normalized,
		Credentials: identity.Credentials{
			SourcePrincipal: attribute(attrs, attrPeerURISAN),
			XFCC:            headers["x-forwarded-client-cert"],
			Authorization:   headers["authorization"],
		},
	}
	r.SourceAddress = attribute(attrs, attrSourceAddr)
	// context.tls only from what Envoy attests (a peer certificate), never
	// from :scheme: a listing may hide more than a call, never show more.
	r.TLS = r.Credentials.SourcePrincipal != ""
	r.Credentials.Hop, r.Credentials.HopAddress = envoy.PeerHop(ctx)
	return r
}

// attribute is a string attribute from any namespace Envoy sent
// (normally envoy.filters.http.ext_proc), or "".
func attribute(attrs map[string]*structpb.Struct, name string) string {
	for _, st := range attrs {
		if v, ok := st.GetFields()[name]; ok {
			return v.GetStringValue()
		}
	}
	return ""
}

// headerMap lower-cases names and comma-joins repeated headers, as Envoy
// does for ext_authz.
func headerMap(hm *corev3.HeaderMap) map[string]string {
	m := make(map[string]string, len(hm.GetHeaders()))
	for _, hv := range hm.GetHeaders() {
		v := hv.GetValue()
		if v == "" {
			v = string(hv.GetRawValue())
		}
		k := strings.ToLower(hv.GetKey())
		if old, ok := m[k]; ok {
			v = old + "," + v
		}
		m[k] = v
	}
	return m
}
