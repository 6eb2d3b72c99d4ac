package envoy

import (
	"context"
	"io"
	"log/slog"
	"testing"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/adminui"
	"github.com/tollgate-authz/tollgate/internal/jsonw"
	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/policy"
)

const quickstart = "../examples/quickstart/"

// benchServer is envoy.Server over a real Engine as tollgate serve builds
// it: the quickstart policies, manifest and signals, an X.509 verifier
// with its cache, registered metrics and a JSON decision log to w.
func benchServer(b *testing.B, ca *testca.CA, w io.Writer, tail authz.DecisionTail) *Server {
	b.Helper()
	reg := prometheus.NewRegistry()
	v, err := identity.NewVerifier(identity.Config{
		X509Bundles:  ca.X509Bundle(),
		TrustDomains: []spiffeid.TrustDomain{ca.TrustDomain()},
		Registerer:   reg,
	})
	if err != nil {
		b.Fatal(err)
	}
	snap, err := policy.LoadDir(quickstart+"policies", policy.Options{})
	if err != nil {
		b.Fatal(err)
	}
	store := policy.NewStore(nil)
	store.Swap(snap)
	m, err := manifest.Load(quickstart + "manifest.yaml")
	if err != nil {
		b.Fatal(err)
	}
	e, err := authz.NewEngine(authz.Config{
		Identifier: v, Policies: store, Manifest: m, Registerer: reg,
		Signals: []authz.Signal{
			{Name: "environment", From: authz.FromContextExtension, Key: "environment", Type: authz.TypeString},
			{Name: "tenant", From: authz.FromContextExtension, Key: "tenant", Type: authz.TypeString},
			{Name: "risk_score", From: authz.FromContextExtension, Key: "risk_score", Type: authz.TypeLong},
		},
		DecisionLog: slog.New(jsonw.NewHandler(w, nil)),
		Tail:        tail,
	})
	if err != nil {
		b.Fatal(err)
	}
	return NewServer(e, Options{})
}

// benchRequest is the allowed request of test/bench/ghz.sh: the
// storefront reading an order with its X.509-SVID.
func benchRequest(leaf string) *authv3.CheckRequest {
	return &authv3.CheckRequest{Attributes: &authv3.AttributeContext{
		Source: &authv3.AttributeContext_Peer{
			Address: &corev3.Address{Address: &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{
				Address: "10.1.2.3", PortSpecifier: &corev3.SocketAddress_PortValue{PortValue: 51000}}}},
			Certificate: leaf,
		},
		Request: &authv3.AttributeContext_Request{Http: &authv3.AttributeContext_HttpRequest{
			Id: "bench-1", Method: "GET", Path: "/orders/42", Host: "orders.internal", Scheme: "https", Protocol: "HTTP/2",
			Headers: map[string]string{
				":method": "GET", ":path": "/orders/42", ":authority": "orders.internal", ":scheme": "https",
				"user-agent": "bench/1.0", "accept": "application/json", "x-request-id": "bench-1",
			},
		}},
	}}
}

// BenchmarkCheck is one CheckRequest to the CheckResponse's wire bytes,
// as the registered service answers (Server.answer), with a real engine; "log" writes the decision line (to io.Discard),
// "log+ui" also feeds the admin page's ring (admin.ui: true).
func BenchmarkCheck(b *testing.B) {
	for _, bc := range []struct {
		name string
		w    io.Writer
		ui   bool
	}{{"log", io.Discard, false}, {"log+ui", io.Discard, true}} {
		b.Run(bc.name, func(b *testing.B) {
			ca := testca.New(b, "example.org")
			var tail authz.DecisionTail // nil: admin.ui off
			if bc.ui {
				tail = adminui.NewRing(nil)
			}
			s := benchServer(b, ca, bc.w, tail)
			req := benchRequest(ca.NewX509SVID("/ns/shop/sa/frontend").EnvoyLeaf())
			ctx := context.Background()
			if resp, _ := s.Check(ctx, req); resp.GetOkResponse() == nil {
				b.Fatalf("denied: %v", resp.GetDeniedResponse())
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = s.answer(ctx, req) // what the registered service sends
			}
		})
	}
}
