package xfcc_test

import (
	"testing"

	"github.com/tollgate-authz/tollgate/identity/xfcc"
)

// BenchmarkParse parses what Envoy sends with forward_client_cert_details
// APPEND_FORWARD and Cert, Chain, Subject, URI and DNS enabled.
func BenchmarkParse(b *testing.B) {
	c := mintChain(b, "spiffe://example.org/ns/default/sa/web")
	header := "By=spiffe://example.org/ns/edge/sa/envoy;Hash=" + c.hash() +
		`;Cert="` + envoyURLEncode(c.leafPEM()) + `";Chain="` + envoyURLEncode(c.chainPEM()) +
		`";Subject="O=Tollgate\, Test";URI=spiffe://example.org/ns/default/sa/web;DNS=web.default.svc`
	b.SetBytes(int64(len(header)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := xfcc.Parse(header); err != nil {
			b.Fatal(err)
		}
	}
}
