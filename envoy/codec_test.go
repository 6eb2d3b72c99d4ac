package envoy

import (
	"testing"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/grpc/encoding"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/proto"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
)

// The vtprotobuf path must put the same message on the wire as the
// standard codec, for allows and for every kind of denial.
func TestCodecMatchesProto(t *testing.T) {
	c, std := Codec(), encoding.GetCodecV2("proto")
	deny := authz.Decision{ID: "d", Outcome: authz.Forbidden, Code: authz.CodeForbid, Detail: "denied", Policies: []string{"a", "b"}}
	grpcDeny := deny
	grpcDeny.GRPC = true
	mcpDeny := deny
	mcpDeny.MCP = &authz.MCPInfo{ID: `"x"`}
	allow := allowDecision()
	jwtAllow := allowDecision()
	jwtAllow.Identity.Source = identity.SourceJWT // headers_to_remove set
	opts200 := &Options{MCPDenyStatus: 200}
	msgs := []proto.Message{
		toResponse(&allow, opts200), toResponse(&jwtAllow, opts200), toResponse(&deny, opts200), toResponse(&grpcDeny, opts200), toResponse(&mcpDeny, opts200),
		&authv3.CheckResponse{}, &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING},
	}
	for i, m := range msgs {
		got, err := c.Marshal(m)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		want, err := std.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		back := m.ProtoReflect().New().Interface()
		if err := proto.Unmarshal(got.Materialize(), back); err != nil {
			t.Fatalf("%d: vt bytes do not parse: %v", i, err)
		}
		if !proto.Equal(back, m) {
			t.Errorf("%d: vt bytes decode to %v, want %v", i, back, m)
		}
		if len(got.Materialize()) != len(want.Materialize()) {
			t.Errorf("%d: size %d, standard codec %d", i, len(got.Materialize()), len(want.Materialize()))
		}
		got.Free()
		want.Free()
	}
}
