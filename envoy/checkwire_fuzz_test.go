package envoy

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

// FuzzCheckWire is the differential test of the fast decoder against
// protobuf-go: whenever the fast decoder says ok, proto.Unmarshal accepts
// the same bytes and the messages are proto.Equal; and the codec (fast path
// and fallback) always agrees with gRPC's proto codec.
func FuzzCheckWire(f *testing.F) {
	for _, b := range realisticRequests(testca.New(f, "example.org")) {
		f.Add(b)
	}
	for _, tc := range checkWireCases {
		f.Add(tc.b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fastDecode(t, b)
		codecAgrees(t, b)
	})
}

// realisticRequests are CheckRequests as Envoy sends them, marshalled by
// protobuf-go: an X.509 peer (URL-encoded leaf), a JWT-SVID, an XFCC, raw
// header_map values, an MCP body in raw_body, and one with a non-empty
// metadata_context (the fallback).
func realisticRequests(ca *testca.CA) map[string][]byte {
	svid := ca.NewX509SVID("/ns/shop/sa/frontend")
	leafPEM := svid.LeafPEM()
	sum := sha256.Sum256(svid.Leaf.Raw)
	jwt := ca.NewJWTSVID("/ns/agents/sa/research", []string{"tools"})
	reqs := map[string]*authv3.CheckRequest{
		"x509": envoyRequest(svid.EnvoyLeaf(), map[string]string{"x-request-id": "r-1"}),
		"jwt":  envoyRequest("", map[string]string{"authorization": "Bearer " + jwt}),
		"xfcc": envoyRequest("", map[string]string{"x-forwarded-client-cert": "By=spiffe://example.org/ns/shop/sa/orders;Hash=" +
			hex.EncodeToString(sum[:]) + `;Cert="` + testca.URLEncodePEM(leafPEM) + `";URI=spiffe://example.org/ns/shop/sa/frontend`}),
		"mcp":      envoyRequest("", map[string]string{"content-type": "application/json", "authorization": "Bearer " + jwt}),
		"metadata": envoyRequest(svid.EnvoyLeaf(), nil),
	}
	mcp := reqs["mcp"].Attributes.Request.Http
	mcp.Method, mcp.Path, mcp.RawBody = "POST", "/mcp", mcpCallBody()
	mcp.Size = int64(len(mcp.RawBody))
	mcp.HeaderMap = &corev3.HeaderMap{Headers: []*corev3.HeaderValue{
		{Key: ":method", RawValue: []byte("POST")}, {Key: ":path", RawValue: []byte("/mcp")},
		{Key: "authorization", RawValue: []byte("Bearer " + jwt)}, {Key: "x-bin", RawValue: []byte{0xff, 0x00}},
	}}
	md, err := structpb.NewStruct(map[string]any{"tenant": "acme", "n": 1.0})
	if err != nil {
		panic(err)
	}
	reqs["metadata"].Attributes.MetadataContext = &corev3.Metadata{FilterMetadata: map[string]*structpb.Struct{"envoy.filters.http.jwt_authn": md}}
	out := make(map[string][]byte, len(reqs))
	for name, r := range reqs {
		b, err := proto.Marshal(r)
		if err != nil {
			panic(err)
		}
		out[name] = b
	}
	return out
}

// envoyRequest is benchRequest with the rest of what Envoy fills in: the
// destination, the request time, TLS session, empty route metadata and
// context extensions, and the extra headers.
func envoyRequest(leaf string, extra map[string]string) *authv3.CheckRequest {
	r := benchRequest(leaf)
	a := r.Attributes
	a.Destination = &authv3.AttributeContext_Peer{
		Address: &corev3.Address{Address: &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{
			Address: "10.1.2.4", PortSpecifier: &corev3.SocketAddress_PortValue{PortValue: 8443}}}},
		Principal: "spiffe://example.org/ns/shop/sa/orders",
	}
	a.Source.Principal = "spiffe://example.org/ns/shop/sa/frontend"
	a.Request.Time = &timestamppb.Timestamp{Seconds: 1764500000, Nanos: 123456789}
	a.TlsSession = &authv3.AttributeContext_TLSSession{Sni: "orders.internal"}
	a.RouteMetadataContext = &corev3.Metadata{}
	a.ContextExtensions = map[string]string{"environment": "prod", "tenant": "acme", "risk_score": "3"}
	for k, v := range extra {
		a.Request.Http.Headers[k] = v
	}
	return r
}

// mcpCallBody is an MCP tools/call JSON-RPC body.
func mcpCallBody() []byte {
	return []byte(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"search_issues",` +
		`"arguments":{"repo":"acme/orders","query":"label:bug \u00e9","limit":50}}}`)
}
