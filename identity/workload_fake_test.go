package identity

import (
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/spiffe/go-spiffe/v2/proto/spiffe/workload"
	"google.golang.org/grpc"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

// fakeAgent is an in-process Workload API server speaking the real
// protocol on a unix socket. It streams the current X.509 context and JWT
// bundles and pushes every change to open streams.
type fakeAgent struct {
	workload.UnimplementedSpiffeWorkloadAPIServer
	t       testing.TB
	path    string
	mu      sync.Mutex
	x509    *workload.X509SVIDResponse
	jwt     *workload.JWTBundlesResponse
	changed chan struct{}
	srv     *grpc.Server
}

func newFakeAgent(t testing.TB) *fakeAgent {
	t.Helper()
	dir, err := os.MkdirTemp("", "wlapi")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return &fakeAgent{t: t, path: filepath.Join(dir, "agent.sock"), changed: make(chan struct{})}
}

func (a *fakeAgent) addr() string { return "unix://" + a.path }

// start serves until stop (or the end of the test).
func (a *fakeAgent) start() {
	a.t.Helper()
	_ = os.Remove(a.path)
	lis, err := net.Listen("unix", a.path)
	if err != nil {
		a.t.Fatal(err)
	}
	srv := grpc.NewServer()
	workload.RegisterSpiffeWorkloadAPIServer(srv, a)
	a.mu.Lock()
	a.srv = srv
	a.mu.Unlock()
	go func() { _ = srv.Serve(lis) }()
	a.t.Cleanup(srv.Stop)
}

// stop kills the server and every open stream, as an agent crash would.
func (a *fakeAgent) stop() {
	a.mu.Lock()
	srv := a.srv
	a.mu.Unlock()
	srv.Stop()
}

// set publishes svid (issued by ca) with the bundles of cas, and the JWT
// bundles of cas.
func (a *fakeAgent) set(svid *testca.X509SVID, cas ...*testca.CA) {
	a.t.Helper()
	key, err := x509.MarshalPKCS8PrivateKey(svid.Key)
	if err != nil {
		a.t.Fatal(err)
	}
	var chain []byte
	for _, c := range svid.Chain() {
		chain = append(chain, c.Raw...)
	}
	x := &workload.X509SVIDResponse{
		Svids:            []*workload.X509SVID{{SpiffeId: svid.ID.String(), X509Svid: chain, X509SvidKey: key, Bundle: cas[0].Root().Cert().Raw}},
		FederatedBundles: map[string][]byte{},
	}
	j := &workload.JWTBundlesResponse{Bundles: map[string][]byte{}}
	for i, ca := range cas {
		if i > 0 {
			x.FederatedBundles[ca.TrustDomain().IDString()] = ca.Root().Cert().Raw
		}
		j.Bundles[ca.TrustDomain().IDString()] = ca.JWKS()
	}
	a.mu.Lock()
	a.x509, a.jwt = x, j
	close(a.changed)
	a.changed = make(chan struct{})
	a.mu.Unlock()
}

func (a *fakeAgent) current() (*workload.X509SVIDResponse, *workload.JWTBundlesResponse, chan struct{}) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.x509, a.jwt, a.changed
}

func (a *fakeAgent) FetchX509SVID(_ *workload.X509SVIDRequest, s grpc.ServerStreamingServer[workload.X509SVIDResponse]) error {
	for {
		x, _, changed := a.current()
		if x != nil {
			if err := s.Send(x); err != nil {
				return err
			}
		}
		select {
		case <-changed:
		case <-s.Context().Done():
			return nil
		}
	}
}

func (a *fakeAgent) FetchJWTBundles(_ *workload.JWTBundlesRequest, s grpc.ServerStreamingServer[workload.JWTBundlesResponse]) error {
	for {
		_, j, changed := a.current()
		if j != nil {
			if err := s.Send(j); err != nil {
				return err
			}
		}
		select {
		case <-changed:
		case <-s.Context().Done():
			return nil
		}
	}
}
