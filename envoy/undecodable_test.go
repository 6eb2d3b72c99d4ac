package envoy

import (
	"context"
	"testing"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"
)

// rawCodec sends []byte as is and decodes answers as protobuf, to put
// bytes on the wire that no proto marshaller would.
type rawCodec struct{}

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	return mem.BufferSlice{mem.SliceBuffer(v.([]byte))}, nil
}
func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	return proto.Unmarshal(data.Materialize(), v.(proto.Message))
}
func (rawCodec) Name() string { return "proto" }

// A CheckRequest gRPC cannot decode, over the receive limit or not
// protobuf at all, is answered with a 400 denial in an OK call, never a
// failed call, which Envoy's failure_mode_allow reads as an allow.
func TestUndecodableRequestDenied(t *testing.T) {
	tooBig, err := proto.Marshal(&authv3.CheckRequest{Attributes: &authv3.AttributeContext{Request: &authv3.AttributeContext_Request{
		Http: &authv3.AttributeContext_HttpRequest{Method: "POST", Path: "/mcp", RawBody: make([]byte, 8<<10)}}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		msg  []byte
		code string
	}{
		"over max_recv_bytes": {tooBig, CodeRequestTooLarge},
		"not protobuf":        {[]byte{0xff, 0xff, 0xff, 0xff}, CodeBadCheckRequest},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{decision: allowDecision()}
			conn := dialConn(t, NewServer(rec, Options{}), grpc.MaxRecvMsgSize(4<<10))
			var resp authv3.CheckResponse
			err := conn.Invoke(context.Background(), "/envoy.service.auth.v3.Authorization/Check", tt.msg, &resp, grpc.ForceCodecV2(rawCodec{}))
			if err != nil {
				t.Fatalf("a refused request must be a denial, not a failed call: %v", err)
			}
			den := resp.GetDeniedResponse()
			if den == nil || resp.GetStatus().GetCode() != int32(codes.InvalidArgument) || den.GetStatus().GetCode() != 400 || rec.got != nil {
				t.Fatalf("got %v (checked=%v)", &resp, rec.got != nil)
			}
			if md := resp.GetDynamicMetadata().GetFields(); md["code"].GetStringValue() != tt.code {
				t.Errorf("code %q, want %q", md["code"].GetStringValue(), tt.code)
			}
		})
	}
}
