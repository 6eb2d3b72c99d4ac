package extproc

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	filterv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ext_proc/v3"
	procv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/envoy"
	"github.com/tollgate-authz/tollgate/internal/testutil/noopproc"
)

// fiftyTools is a tools/list result of 50 tools (about 12 KiB): the
// example server's four and 46 more, each with a description and a schema.
func fiftyTools() string {
	names := []string{"search_issues", "get_file", "create_issue", "delete_repository"}
	for i := len(names); i < 50; i++ {
		names = append(names, fmt.Sprintf("tool_%02d", i))
	}
	tools := make([]string, len(names))
	for i, n := range names {
		tools[i] = fmt.Sprintf(`{"name":%q,"description":"Does %s for the caller's repositories","inputSchema":{"type":"object",`+
			`"properties":{"repo":{"type":"string"},"query":{"type":"string"},"limit":{"type":"integer","minimum":1}},"required":["repo"]},`+
			`"annotations":{"readOnlyHint":%v}}`, n, n, i%2 == 0)
	}
	return `{"jsonrpc":"2.0","id":4,"result":{"tools":[` + strings.Join(tools, ",") + `],"nextCursor":"p2"}}`
}

func gatewayEngine(b *testing.B) *authz.Engine {
	b.Helper()
	e := exampleEngine(b) // examples/mcp manifest (no pins) and policies
	m, err := manifest.LoadAll("../../examples/mcp/manifest.yaml")
	if err != nil {
		b.Fatal(err)
	}
	e.SetManifest(m)
	return e
}

func serve(b *testing.B, register func(*grpc.Server)) procv3.ExternalProcessorClient {
	b.Helper()
	lis := bufconn.Listen(1 << 20)
	g := grpc.NewServer(grpc.ForceServerCodecV2(envoy.Codec()))
	register(g)
	go func() { _ = g.Serve(lis) }()
	b.Cleanup(g.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	return procv3.NewExternalProcessorClient(conn)
}

// BenchmarkExtProcList50 is one HTTP request's whole ext_proc stream, as
// Envoy sends it for a tools/list answered with 50 tools in one JSON body
// (BUFFERED), against Tollgate and against the no-op processor.
func BenchmarkExtProcList50(b *testing.B) {
	list := fiftyTools()
	msgs := []*procv3.ProcessingRequest{reqHeaders(research, filterv3.ProcessingMode_BUFFERED), reqBody(listReq),
		respHeaders("content-type", "application/json"), respBody(list, true)}
	for _, tc := range []struct {
		name     string
		register func(*grpc.Server)
	}{
		{"noop", func(g *grpc.Server) { procv3.RegisterExternalProcessorServer(g, noopproc.Processor{}) }},
		{"tollgate", func(g *grpc.Server) {
			s, err := NewServer(gatewayEngine(b), Options{})
			if err != nil {
				b.Fatal(err)
			}
			procv3.RegisterExternalProcessorServer(g, s)
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c := serve(b, tc.register)
			b.SetBytes(int64(len(list)))
			b.ReportAllocs()
			for b.Loop() {
				exchange(b, c, msgs...)
			}
		})
	}
}

// BenchmarkFilterList50 is the filtering alone, without gRPC: parse the
// result, decide 50 tools for the caller, write the filtered body.
func BenchmarkFilterList50(b *testing.B) {
	e := gatewayEngine(b)
	list := []byte(fiftyTools())
	st := &stream{s: &Server{filter: e, opts: Options{MaxResponseBytes: DefaultMaxResponseBytes}, metrics: mustMetrics(b)},
		ctx: context.Background(), req: toRequest(context.Background(), reqHeaders(research, 0).GetRequestHeaders(),
			reqHeaders(research, 0).GetAttributes(), false)}
	if out := st.filterBody(list); !strings.Contains(string(out), "search_issues") || strings.Contains(string(out), "tool_10") {
		b.Fatalf("filtered to %s", out)
	}
	b.SetBytes(int64(len(list)))
	b.ReportAllocs()
	for b.Loop() {
		st.filterBody(list)
	}
}

func mustMetrics(b *testing.B) *metrics {
	m, err := newMetrics(nil)
	if err != nil {
		b.Fatal(err)
	}
	return m
}
