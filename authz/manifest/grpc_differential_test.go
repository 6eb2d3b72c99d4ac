package manifest

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// rawCodec passes messages through as bytes, so the test needs no
// generated protobuf code.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return *v.(*[]byte), nil }
func (rawCodec) Unmarshal(b []byte, v any) error {
	*v.(*[]byte) = append([]byte(nil), b...)
	return nil
}
func (rawCodec) Name() string { return "proto" }

// grpcRecorder is a real grpc-go server whose handlers record which
// method ran.
type grpcRecorder struct {
	mu  sync.Mutex
	ran string
}

func (g *grpcRecorder) handler(name string) grpc.MethodHandler {
	return func(_ any, _ context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
		var in []byte
		if err := dec(&in); err != nil {
			return nil, err
		}
		g.mu.Lock()
		g.ran = name
		g.mu.Unlock()
		return &in, nil
	}
}

func (g *grpcRecorder) desc(svc string, methods ...string) *grpc.ServiceDesc {
	sd := &grpc.ServiceDesc{ServiceName: svc, HandlerType: (*any)(nil)}
	for _, m := range methods {
		sd.Methods = append(sd.Methods, grpc.MethodDesc{MethodName: m, Handler: g.handler("/" + svc + "/" + m)})
	}
	return sd
}

// call sends path as the :path of a gRPC call and returns the method
// grpc-go ran, or "" when none ran.
func (g *grpcRecorder) call(t *testing.T, cc *grpc.ClientConn, path string) string {
	t.Helper()
	g.mu.Lock()
	g.ran = ""
	g.mu.Unlock()
	in, out := []byte{}, []byte{}
	_ = cc.Invoke(context.Background(), path, &in, &out)
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.ran
}

// TestGRPCPathsAgreeWithGRPCGo sends each :path to a real grpc-go server
// with a permitted and a forbidden method and checks that whenever
// grpc-go runs a method, Tollgate either refused the path or matched that
// very method: never "authorised A, grpc-go ran B".
func TestGRPCPathsAgreeWithGRPCGo(t *testing.T) {
	m, err := Parse("m.yaml", []byte(`routes:
  - match: {grpc: /pkg.Svc/Allowed}
    action: A
    resource: {type: T, id: x}
  - match: {grpc: /pkg.Wild/*}
    action: W
    resource: {type: T, id: '{method}'}
  - match: {path: '/{rest...}'}
    action: H
    resource: {type: T, id: '{rest}'}
`))
	if err != nil {
		t.Fatal(err)
	}
	rec := &grpcRecorder{}
	srv := grpc.NewServer(grpc.ForceServerCodec(rawCodec{}))
	srv.RegisterService(rec.desc("pkg.Svc", "Allowed", "Forbidden", "allowed", "Allowed/"), struct{}{})
	srv.RegisterService(rec.desc("pkg.Wild", "Any"), struct{}{})
	srv.RegisterService(rec.desc("Pkg.Svc", "Allowed"), struct{}{})
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	cc, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cc.Close() })
	paths := []string{
		"/pkg.Svc/Allowed", "/pkg.Svc/Forbidden", "/pkg.Svc/Allowed?x", "/pkg.Svc/Forbidden?/pkg.Svc/Allowed",
		"/pkg.Svc//Allowed", "/pkg.Svc/Allowed/", "/Pkg.Svc/Allowed", "/pkg.Svc/allowed", "//pkg.Svc/Allowed",
		"/pkg.Svc/Allowed%2F", "/pkg.Svc%2FAllowed", "/pkg.Svc/Allowed/Forbidden", "/x/pkg.Svc/Forbidden",
		"/pkg.Svc/Allowed#", "/pkg.Svc/Allowed;x", "/pkg.Svc/./Forbidden", "/pkg.Svc/Allowed/../Forbidden",
		"pkg.Svc/Forbidden", "/pkg.Svc/Allowed\x00", "/pkg.Svc/Allowéd", "/pkg.Wild/Any", "/pkg.Wild/Any/",
		"/pkg.Wild//Any", "/pkg.Wild/Any/../../pkg.Svc/Forbidden", "/pkg.Svc/Allowed%00",
	}
	for _, c := range paths {
		for _, normalized := range []bool{false, true} {
			checkGRPCAgreement(t, m, rec, cc, c, normalized)
		}
	}
}

// checkGRPCAgreement fails when grpc-go runs another method for p than
// the one Tollgate's lookup (as a gRPC call) authorised.
func checkGRPCAgreement(t *testing.T, m *Manifest, rec *grpcRecorder, cc *grpc.ClientConn, p string, normalized bool) {
	t.Helper()
	lk := m.Lookup("POST", p, true, normalized, nil)
	authorised := ""
	if lk.BadPath == "" && lk.Rule != nil {
		authorised = lk.Path
	}
	ran := rec.call(t, cc, p)
	t.Logf("%q (normalized %v): tollgate bad=%q path=%q; grpc-go ran %q", p, normalized, lk.BadPath, authorised, ran)
	if ran == "" || authorised == "" {
		return
	}
	if authorised != ran {
		t.Errorf("%q: Tollgate authorised it as %q (%s) but grpc-go ran %q", p, authorised, lk.Rule.Name, ran)
	}
	if g := lk.Rule.GRPC; g != "" && g != ran && !strings.HasSuffix(g, "/*") {
		t.Errorf("%q: Tollgate matched gRPC route %s but grpc-go ran %q", p, g, ran)
	}
}
