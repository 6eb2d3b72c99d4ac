// Command noopauthz is the baseline for Tollgate's load benchmarks: an
// ext_authz v3 server, built with the same gRPC stack, that allows every
// request without looking at it. Tollgate's cost is quoted as a ratio to it:
// to the plain server (default Go and gRPC settings) and, with -tuned, to
// one with the runtime settings tollgate serve uses.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	procv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
	rpcstatus "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc"

	"github.com/tollgate-authz/tollgate/envoy"
	"github.com/tollgate-authz/tollgate/internal/server"
	"github.com/tollgate-authz/tollgate/internal/testutil/noopproc"
)

type noop struct {
	authv3.UnimplementedAuthorizationServer
}

func (noop) Check(context.Context, *authv3.CheckRequest) (*authv3.CheckResponse, error) {
	return &authv3.CheckResponse{
		Status:       &rpcstatus.Status{},
		HttpResponse: &authv3.CheckResponse_OkResponse{OkResponse: &authv3.OkHttpResponse{}},
	}, nil
}

func main() {
	addr := flag.String("listen", "127.0.0.1:9391", "address to listen on")
	tuned := flag.Bool("tuned", false, "use tollgate serve's GC, worker-pool and codec settings")
	extproc := flag.Bool("extproc", false, "also serve a no-op ext_proc processor (test/bench/extproc.sh)")
	flag.Parse()
	lis, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	var opts []grpc.ServerOption
	if *tuned {
		// The same runtime and gRPC tuning as tollgate serve, so the ratio
		// measures the decision work and nothing else.
		server.TuneGC(0, 0)
		opts = append(opts, grpc.NumStreamWorkers(server.StreamWorkers()), grpc.ForceServerCodecV2(envoy.Codec()))
	}
	s := grpc.NewServer(opts...)
	authv3.RegisterAuthorizationServer(s, noop{})
	if *extproc {
		procv3.RegisterExternalProcessorServer(s, noopproc.Processor{})
	}
	go func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT)
		<-ch
		s.GracefulStop()
	}()
	if err := s.Serve(lis); err != nil {
		log.Fatal(err)
	}
}
