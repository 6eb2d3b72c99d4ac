package server

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/spiffetls/tlsconfig"
	"github.com/spiffe/go-spiffe/v2/svid/x509svid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/envoy"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/internal/testca"
)

// hopRecorder is a Checker that records the credentials it was given.
type hopRecorder struct {
	mu  sync.Mutex
	got identity.Credentials
}

func (h *hopRecorder) Check(_ context.Context, r *authz.Request) authz.Decision {
	h.mu.Lock()
	h.got = r.Credentials
	h.mu.Unlock()
	return authz.Decision{ID: "d", Outcome: authz.Allow, Code: authz.CodePermit}
}

func staticSVID(s *testca.X509SVID) *x509svid.SVID {
	return &x509svid.SVID{ID: s.ID, Certificates: s.Chain(), PrivateKey: s.Key}
}

// startMTLS serves ext_authz on loopback behind listen.mtls m.
func startMTLS(t *testing.T, ca *testca.CA, m *config.ListenMTLS) (string, *hopRecorder) {
	t.Helper()
	opt, err := mtlsCreds(m, staticSVID(ca.NewX509SVID("/tollgate")), x509bundle.NewSet(ca.X509Bundle()))
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rec := &hopRecorder{}
	g := grpc.NewServer(opt)
	authv3.RegisterAuthorizationServer(g, envoy.NewServer(rec, envoy.Options{}))
	go func() { _ = g.Serve(lis) }()
	t.Cleanup(g.Stop)
	return lis.Addr().String(), rec
}

func call(t *testing.T, addr string, creds credentials.TransportCredentials) error {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = authv3.NewAuthorizationClient(conn).Check(ctx, &authv3.CheckRequest{})
	return err
}

func TestMTLSListener(t *testing.T) {
	ca, rogue := testca.New(t, "example.org"), testca.New(t, "example.org")
	serverID := spiffeid.RequireFromString("spiffe://example.org/tollgate")
	bundle := x509bundle.NewSet(ca.X509Bundle())
	client := func(svid *testca.X509SVID) credentials.TransportCredentials {
		return credentials.NewTLS(tlsconfig.MTLSClientConfig(staticSVID(svid), bundle, tlsconfig.AuthorizeID(serverID)))
	}
	tlsOnly := credentials.NewTLS(tlsconfig.TLSClientConfig(bundle, tlsconfig.AuthorizeID(serverID)))
	byID := &config.ListenMTLS{AllowedIDs: []string{"spiffe://example.org/envoy"}}
	byTD := &config.ListenMTLS{AllowedTrustDomain: "example.org"}
	tests := []struct {
		name    string
		m       *config.ListenMTLS
		creds   credentials.TransportCredentials
		wantHop string // empty: the call must fail
	}{
		{"allowed ID", byID, client(ca.NewX509SVID("/envoy")), "spiffe://example.org/envoy"},
		{"other ID refused", byID, client(ca.NewX509SVID("/intruder")), ""},
		{"trust domain member", byTD, client(ca.NewX509SVID("/any")), "spiffe://example.org/any"},
		{"rogue CA refused", byTD, client(rogue.NewX509SVID("/envoy")), ""},
		{"no client certificate", byTD, tlsOnly, ""},
		{"plaintext", byTD, insecure.NewCredentials(), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr, rec := startMTLS(t, ca, tc.m)
			err := call(t, addr, tc.creds)
			if tc.wantHop == "" {
				if err == nil {
					t.Fatal("call succeeded, want refusal")
				}
				return
			}
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			rec.mu.Lock()
			defer rec.mu.Unlock()
			if rec.got.Hop.String() != tc.wantHop || rec.got.HopAddress == "" {
				t.Fatalf("hop = %q at %q, want %s", rec.got.Hop, rec.got.HopAddress, tc.wantHop)
			}
		})
	}
}

func TestXFCCConfigFromYAML(t *testing.T) {
	x, err := xfccConfig(&config.XFCC{TrustedHops: []string{"spiffe://example.org/envoy"}, TrustedAddresses: []string{"10.0.0.0/8", "192.0.2.1"}, Element: "last"})
	if err != nil {
		t.Fatal(err)
	}
	if len(x.TrustedHops) != 1 || len(x.TrustedAddresses) != 2 || x.TrustedAddresses[1].Bits() != 32 {
		t.Fatalf("got %+v", x)
	}
}
