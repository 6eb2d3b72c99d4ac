package extproc

import (
	"context"
	"net"
	"testing"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	filterv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ext_proc/v3"
	procv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/policy"
)

const (
	research = "spiffe://example.org/ns/agents/sa/research-agent"
	cleanup  = "spiffe://example.org/ns/agents/sa/cleanup-agent"
)

// peerIdentifier verifies the peer certificate's URI SAN (the attribute
// Envoy sends); an empty one is no identity.
type peerIdentifier struct{}

func (peerIdentifier) Verify(_ context.Context, c identity.Credentials) (identity.Identity, error) {
	id, err := spiffeid.FromString(c.SourcePrincipal)
	if err != nil {
		return identity.Identity{}, &identity.Error{Reason: identity.ReasonMissing, Err: identity.ErrNoIdentity}
	}
	return identity.Identity{ID: id, Source: identity.SourcePrincipal}, nil
}

// exampleEngine is a real engine with examples/mcp's manifest and policies.
func exampleEngine(t testing.TB) *authz.Engine {
	t.Helper()
	m, err := manifest.LoadAll("../../examples/mcp/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := policy.LoadDir("../../examples/mcp/policies", policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	store := policy.NewStore(nil)
	store.Swap(snap)
	e, err := authz.NewEngine(authz.Config{Identifier: peerIdentifier{}, Policies: store, Manifest: m})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// processor serves a Server on bufconn and returns a real gRPC client.
func processor(t testing.TB, f Filter, opts Options) (procv3.ExternalProcessorClient, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	opts.Registerer = reg
	s, err := NewServer(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	lis := bufconn.Listen(1 << 20)
	g := grpc.NewServer()
	procv3.RegisterExternalProcessorServer(g, s)
	go func() { _ = g.Serve(lis) }()
	t.Cleanup(g.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return procv3.NewExternalProcessorClient(conn), reg
}

// exchange sends msgs on one stream as Envoy does (one at a time, each
// answered before the next) and returns the answers.
func exchange(t testing.TB, c procv3.ExternalProcessorClient, msgs ...*procv3.ProcessingRequest) []*procv3.ProcessingResponse {
	t.Helper()
	s, err := c.Process(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []*procv3.ProcessingResponse
	for _, m := range msgs {
		if err := s.Send(m); err != nil {
			t.Fatal(err)
		}
		r, err := s.Recv()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
		if r.GetImmediateResponse() != nil {
			break // Envoy ends the stream
		}
	}
	_ = s.CloseSend()
	return out
}

func headers(kv ...string) *corev3.HeaderMap {
	hm := &corev3.HeaderMap{}
	for i := 0; i+1 < len(kv); i += 2 {
		hm.Headers = append(hm.Headers, &corev3.HeaderValue{Key: kv[i], RawValue: []byte(kv[i+1])})
	}
	return hm
}

// reqHeaders is the first message: the caller's request headers, the
// peer certificate's URI SAN and Envoy's protocol configuration.
func reqHeaders(caller string, mode filterv3.ProcessingMode_BodySendMode) *procv3.ProcessingRequest {
	r := &procv3.ProcessingRequest{
		Request: &procv3.ProcessingRequest_RequestHeaders{RequestHeaders: &procv3.HttpHeaders{
			Headers: headers(":method", "POST", ":path", "/mcp", ":authority", "tools", ":scheme", "https", "content-type", "application/json")}},
		ProtocolConfig: &procv3.ProtocolConfiguration{RequestBodyMode: filterv3.ProcessingMode_BUFFERED, ResponseBodyMode: mode},
	}
	if caller != "" {
		r.Attributes = map[string]*structpb.Struct{"envoy.filters.http.ext_proc": {Fields: map[string]*structpb.Value{
			attrPeerURISAN: structpb.NewStringValue(caller)}}}
	}
	return r
}

func reqBody(body string) *procv3.ProcessingRequest {
	return &procv3.ProcessingRequest{Request: &procv3.ProcessingRequest_RequestBody{RequestBody: &procv3.HttpBody{Body: []byte(body), EndOfStream: true}}}
}

func respHeaders(kv ...string) *procv3.ProcessingRequest {
	return &procv3.ProcessingRequest{Request: &procv3.ProcessingRequest_ResponseHeaders{ResponseHeaders: &procv3.HttpHeaders{
		Headers: headers(append([]string{":status", "200"}, kv...)...)}}}
}

func respBody(chunk string, end bool) *procv3.ProcessingRequest {
	return &procv3.ProcessingRequest{Request: &procv3.ProcessingRequest_ResponseBody{ResponseBody: &procv3.HttpBody{Body: []byte(chunk), EndOfStream: end}}}
}

// forwarded is what Envoy sends downstream for the body chunks: each
// chunk replaced by its mutation.
func forwarded(t testing.TB, rs []*procv3.ProcessingResponse) string {
	t.Helper()
	var out []byte
	for _, r := range rs {
		b := r.GetResponseBody()
		if b == nil {
			continue
		}
		switch m := b.GetResponse().GetBodyMutation().GetMutation().(type) {
		case *procv3.BodyMutation_Body:
			out = append(out, m.Body...)
		case *procv3.BodyMutation_ClearBody:
		default:
			t.Fatalf("a body chunk was passed without a mutation: %v", r)
		}
	}
	return string(out)
}
