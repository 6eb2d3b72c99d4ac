// Command checktrace makes one allowed Check against a real Tollgate built
// with coverage (test/bench/trace.sh) and writes the counters of that Check
// alone, so the script can list the files it ran through.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/coverage"
	"time"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/internal/server"
)

// usage: checktrace CONFIG COVERDIR (run from the config's directory)
func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: checktrace CONFIG COVERDIR")
		os.Exit(2)
	}
	cfg, err := config.Load(os.Args[1])
	if err != nil {
		panic(err)
	}
	cfg.Listen.GRPC, cfg.Listen.Admin = "127.0.0.1:0", "127.0.0.1:0"
	cfg.Log.Decisions = "off"
	cfg.Policy.ReloadInterval = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := server.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		panic(err)
	}
	go func() { _ = s.Run(ctx) }()
	conn, err := grpc.NewClient(s.GRPCAddr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	client := authv3.NewAuthorizationClient(conn)
	req := &authv3.CheckRequest{Attributes: &authv3.AttributeContext{
		Source: &authv3.AttributeContext_Peer{Principal: "spiffe://example.org/ns/shop/sa/frontend",
			Address: &corev3.Address{Address: &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{
				Address: "10.1.2.3", PortSpecifier: &corev3.SocketAddress_PortValue{PortValue: 51000}}}}},
		Request: &authv3.AttributeContext_Request{Http: &authv3.AttributeContext_HttpRequest{
			Id: "t-1", Method: "GET", Path: "/orders/42", Host: "orders.internal", Scheme: "https",
			Headers: map[string]string{":method": "GET", ":path": "/orders/42", "content-type": "application/json"},
		}},
	}}
	conn.Connect()
	time.Sleep(200 * time.Millisecond)
	if err := coverage.ClearCounters(); err != nil {
		panic(err)
	}
	resp, err := client.Check(ctx, req)
	if err := coverage.WriteCountersDir(os.Args[2]); err != nil {
		panic(err)
	}
	if err != nil || resp.GetOkResponse() == nil {
		fmt.Fprintln(os.Stderr, "checktrace: the Check was not allowed:", err)
		os.Exit(1)
	}
}
