package harness

import (
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/spiffe/go-spiffe/v2/proto/spiffe/workload"
	"google.golang.org/grpc"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

// WorkloadAPI is an in-process SPIFFE Workload API server speaking the
// real protocol on a unix socket: it serves one X.509-SVID from the test
// CA with the CA's X.509 and JWT bundles, so the binary's
// identity.workload_api gets Tollgate's own SVID without a SPIRE agent.
type WorkloadAPI struct {
	workload.UnimplementedSpiffeWorkloadAPIServer
	// Addr is the unix:///path address for identity.workload_api.socket.
	Addr string
	x509 *workload.X509SVIDResponse
	jwt  *workload.JWTBundlesResponse
}

// StartWorkloadAPI serves svid (issued by ca) until the end of the test.
func StartWorkloadAPI(t *testing.T, svid *testca.X509SVID, ca *testca.CA) *WorkloadAPI {
	t.Helper()
	dir, err := os.MkdirTemp("", "wlapi") // short: unix socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	key, err := x509.MarshalPKCS8PrivateKey(svid.Key)
	if err != nil {
		t.Fatal(err)
	}
	var chain []byte
	for _, c := range svid.Chain() {
		chain = append(chain, c.Raw...)
	}
	w := &WorkloadAPI{
		Addr: "unix://" + filepath.Join(dir, "agent.sock"),
		x509: &workload.X509SVIDResponse{Svids: []*workload.X509SVID{{
			SpiffeId: svid.ID.String(), X509Svid: chain, X509SvidKey: key, Bundle: ca.Root().Cert().Raw}}},
		jwt: &workload.JWTBundlesResponse{Bundles: map[string][]byte{ca.TrustDomain().IDString(): ca.JWKS()}},
	}
	lis, err := net.Listen("unix", filepath.Join(dir, "agent.sock"))
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	workload.RegisterSpiffeWorkloadAPIServer(srv, w)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return w
}

// FetchX509SVID sends the SVID once and keeps the stream open.
func (w *WorkloadAPI) FetchX509SVID(_ *workload.X509SVIDRequest, s grpc.ServerStreamingServer[workload.X509SVIDResponse]) error {
	if err := s.Send(w.x509); err != nil {
		return err
	}
	<-s.Context().Done()
	return nil
}

// FetchJWTBundles sends the JWT bundles once and keeps the stream open.
func (w *WorkloadAPI) FetchJWTBundles(_ *workload.JWTBundlesRequest, s grpc.ServerStreamingServer[workload.JWTBundlesResponse]) error {
	if err := s.Send(w.jwt); err != nil {
		return err
	}
	<-s.Context().Done()
	return nil
}
