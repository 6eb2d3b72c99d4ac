package envoy

import (
	"context"
	"encoding/json"
	"net"
	"net/url"
	"testing"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/testutil/fakecheck"
)

// recorder is a Checker that returns a fixed decision and keeps the request.
type recorder = fakecheck.Recorder

// dial serves s on a bufconn listener as tollgate serve does (Register,
// Codec) and returns a real gRPC client.
func dial(t *testing.T, s *Server) authv3.AuthorizationClient {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	g := grpc.NewServer(grpc.ForceServerCodecV2(Codec()))
	s.Register(g)
	go func() { _ = g.Serve(lis) }()
	t.Cleanup(g.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return authv3.NewAuthorizationClient(conn)
}

func allowDecision() authz.Decision {
	return authz.Decision{ID: "d-1", Outcome: authz.Allow, Code: authz.CodePermit, Action: `Action::"ReadOrder"`,
		Identity: &identity.Identity{ID: spiffeid.RequireFromString("spiffe://example.org/web")},
		Policies: []string{"p1"}, PolicyVersion: "v1"}
}

func TestRequestConversion(t *testing.T) {
	rec := &recorder{Decision: allowDecision()}
	client := dial(t, NewServer(rec, Options{}))
	pem := "-----BEGIN CERTIFICATE-----\nAAA=\n-----END CERTIFICATE-----\n"
	req := &authv3.CheckRequest{Attributes: &authv3.AttributeContext{
		Source: &authv3.AttributeContext_Peer{
			Principal: "spiffe://example.org/web", Certificate: url.QueryEscape(pem),
			Address: &corev3.Address{Address: &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{Address: "10.0.0.9"}}},
		},
		ContextExtensions: map[string]string{"environment": "prod"},
		MetadataContext: &corev3.Metadata{FilterMetadata: map[string]*structpb.Struct{
			"risk": {Fields: map[string]*structpb.Value{"score": structpb.NewNumberValue(12), "label": structpb.NewStringValue("low")}},
		}},
		Request: &authv3.AttributeContext_Request{Http: &authv3.AttributeContext_HttpRequest{
			Method: "POST", Path: "/mcp?x=1", Host: "api", Scheme: "https", RawBody: []byte(`{"a":1}`),
			HeaderMap: &corev3.HeaderMap{Headers: []*corev3.HeaderValue{
				{Key: "Authorization", Value: "Bearer t"}, {Key: "x-forwarded-client-cert", RawValue: []byte("By=a")},
				{Key: "x-multi", Value: "1"}, {Key: "X-Multi", Value: "2"}, {Key: "content-length", Value: "7"},
				{Key: partialBodyHeader, Value: "true"},
			}},
		}},
	}}
	if _, err := client.Check(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	g := rec.Got
	checks := map[string][2]string{
		"method":        {g.Method, "POST"},
		"path":          {g.Path, "/mcp?x=1"},
		"source":        {g.SourceAddress, "10.0.0.9"},
		"peer cert":     {g.Credentials.PeerCertificate, url.QueryEscape(pem)},
		"principal":     {g.Credentials.SourcePrincipal, "spiffe://example.org/web"},
		"authorization": {g.Credentials.Authorization, "Bearer t"},
		"xfcc raw":      {g.Credentials.XFCC, "By=a"},
		"repeated":      {g.Headers["x-multi"], "1,2"},
		"extension":     {g.ContextExtensions["environment"], "prod"},
		"metadata num":  {g.Metadata["risk.score"], "12"},
		"metadata str":  {g.Metadata["risk.label"], "low"},
		"body":          {string(g.Body), `{"a":1}`},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if !g.BodyTruncated || g.ContentLength != 7 || !g.TLS {
		t.Errorf("truncated=%v length=%d tls=%v", g.BodyTruncated, g.ContentLength, g.TLS)
	}
}

func TestAllowResponse(t *testing.T) {
	client := dial(t, NewServer(&recorder{Decision: allowDecision()}, Options{}))
	resp, err := client.Check(context.Background(), &authv3.CheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetStatus().GetCode() != int32(codes.OK) || resp.GetOkResponse() == nil {
		t.Fatalf("not an OK response: %v", resp)
	}
	want := map[string]string{HeaderDecisionID: "d-1", HeaderSPIFFEID: "spiffe://example.org/web"}
	for _, h := range resp.GetOkResponse().GetHeaders() {
		if h.GetAppendAction() != corev3.HeaderValueOption_OVERWRITE_IF_EXISTS_OR_ADD {
			t.Errorf("%s: append action %v, want OVERWRITE_IF_EXISTS_OR_ADD", h.GetHeader().GetKey(), h.GetAppendAction())
		}
		if want[h.GetHeader().GetKey()] != h.GetHeader().GetValue() {
			t.Errorf("header %s = %q", h.GetHeader().GetKey(), h.GetHeader().GetValue())
		}
		delete(want, h.GetHeader().GetKey())
	}
	if len(want) != 0 {
		t.Errorf("missing upstream headers %v", want)
	}
	md := resp.GetDynamicMetadata().GetFields()
	if md["decision_id"].GetStringValue() != "d-1" || md["principal"].GetStringValue() != "spiffe://example.org/web" ||
		md["policy_version"].GetStringValue() != "v1" || len(md["policies"].GetListValue().GetValues()) != 1 {
		t.Errorf("dynamic metadata = %v", md)
	}
}

func TestDenyResponses(t *testing.T) {
	tests := []struct {
		name     string
		d        authz.Decision
		status   int
		code     codes.Code
		ctype    string
		grpcStat string
	}{
		{"unauthenticated", authz.Decision{ID: "d", Outcome: authz.Unauthenticated, Code: authz.CodeIdentityMissing, Detail: "no identity"}, 401, codes.Unauthenticated, "application/json", ""},
		{"forbidden", authz.Decision{ID: "d", Outcome: authz.Forbidden, Code: authz.CodeForbid, Detail: "denied by policy"}, 403, codes.PermissionDenied, "application/json", ""},
		{"bad request", authz.Decision{ID: "d", Outcome: authz.BadRequest, Code: authz.CodeBadPath, Detail: "bad path"}, 400, codes.InvalidArgument, "application/json", ""},
		{"unavailable", authz.Decision{ID: "d", Outcome: authz.Unavailable, Code: authz.CodeNoSnapshot, Detail: "no policy"}, 403, codes.Unavailable, "application/json", ""},
		{"grpc caller", authz.Decision{ID: "d", Outcome: authz.Forbidden, Code: authz.CodeNoPermit, GRPC: true}, 403, codes.PermissionDenied, "application/grpc", "7"},
		{"mcp caller", authz.Decision{ID: "d", Outcome: authz.Forbidden, Code: authz.CodeForbid, Detail: "denied", MCP: &authz.MCPInfo{ID: "42"}}, 200, codes.PermissionDenied, "application/json", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := dial(t, NewServer(&recorder{Decision: tt.d}, Options{}))
			resp, err := client.Check(context.Background(), &authv3.CheckRequest{})
			if err != nil {
				t.Fatalf("a denial must be a CheckResponse, not a transport error: %v", err)
			}
			den := resp.GetDeniedResponse()
			if den == nil || resp.GetStatus().GetCode() != int32(tt.code) || int(den.GetStatus().GetCode()) != tt.status {
				t.Fatalf("got status %v / http %v", resp.GetStatus(), den.GetStatus())
			}
			hs := map[string]string{}
			for _, h := range den.GetHeaders() {
				hs[h.GetHeader().GetKey()] = h.GetHeader().GetValue()
			}
			if hs["content-type"] != tt.ctype || hs["grpc-status"] != tt.grpcStat || hs[HeaderDecisionID] != "d" {
				t.Errorf("headers = %v", hs)
			}
			if tt.ctype == "application/json" {
				var body map[string]any
				if err := json.Unmarshal([]byte(den.GetBody()), &body); err != nil {
					t.Fatalf("body %q: %v", den.GetBody(), err)
				}
				if tt.d.MCP != nil && (body["jsonrpc"] != "2.0" || body["id"] != float64(42) || body["error"] == nil) {
					t.Errorf("MCP denial is not a JSON-RPC error for id 42: %s", den.GetBody())
				}
				if tt.d.MCP == nil && body["decision_id"] != "d" {
					t.Errorf("body lacks decision_id: %s", den.GetBody())
				}
			}
		})
	}
}

func TestPanicDenies(t *testing.T) {
	client := dial(t, NewServer(&recorder{Panics: true}, Options{}))
	resp, err := client.Check(context.Background(), &authv3.CheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetOkResponse() != nil || resp.GetStatus().GetCode() == int32(codes.OK) {
		t.Fatalf("a panicking checker produced %v", resp)
	}
}

// An allow that names no verified identity is answered as a denial, over
// gRPC and in the HTTP mode.
func TestAllowWithoutIdentityDenies(t *testing.T) {
	d := authz.Decision{ID: "d", Outcome: authz.Allow, Code: authz.CodePermit}
	resp, err := dial(t, NewServer(&recorder{Decision: d}, Options{})).Check(context.Background(), &authv3.CheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetOkResponse() != nil || resp.GetStatus().GetCode() == int32(codes.OK) {
		t.Fatalf("allowed without an identity: %v", resp)
	}
}

func TestPartialBodyMark(t *testing.T) {
	for v, want := range map[string]bool{"true": true, "false": false, "false,true": true, "": true, "yes": true} {
		if got := PartialBody(map[string]string{partialBodyHeader: v}); got != want {
			t.Errorf("%s: %q -> %v, want %v", partialBodyHeader, v, got, want)
		}
	}
	if PartialBody(map[string]string{}) {
		t.Error("no header means a whole body")
	}
}
