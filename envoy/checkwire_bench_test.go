package envoy

import (
	"testing"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

// BenchmarkUnmarshalCheckRequest decodes BenchmarkCheck's request (about
// 1 KiB, most of it the URL-encoded leaf) as gRPC does, into a new message:
// "proto" with gRPC's proto codec, "fast" with Codec().
func BenchmarkUnmarshalCheckRequest(b *testing.B) {
	ca := testca.New(b, "example.org")
	wire, err := proto.Marshal(benchRequest(ca.NewX509SVID("/ns/shop/sa/frontend").EnvoyLeaf()))
	if err != nil {
		b.Fatal(err)
	}
	data := mem.BufferSlice{mem.SliceBuffer(wire)}
	for _, bc := range []struct {
		name  string
		codec encoding.CodecV2
	}{{"proto", encoding.GetCodecV2("proto")}, {"fast", Codec()}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(wire)))
			b.ReportAllocs()
			for b.Loop() {
				m := &authv3.CheckRequest{}
				if err := bc.codec.Unmarshal(data, m); err != nil || m.GetAttributes().GetRequest().GetHttp().GetPath() != "/orders/42" {
					b.Fatalf("%v: %v", err, m)
				}
			}
		})
	}
}
