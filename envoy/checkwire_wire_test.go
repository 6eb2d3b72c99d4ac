package envoy

import (
	"testing"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// Wire builders for hand-made CheckRequests: every helper returns one
// encoded field, and pbMsg concatenates fields into a message body.

func pbMsg(fields ...[]byte) []byte {
	var b []byte
	for _, f := range fields {
		b = append(b, f...)
	}
	return b
}

// pbSub is a length-delimited field holding the given fields.
func pbSub(num protowire.Number, fields ...[]byte) []byte {
	b := protowire.AppendTag(nil, num, protowire.BytesType)
	return protowire.AppendBytes(b, pbMsg(fields...))
}

func pbStr(num protowire.Number, s string) []byte {
	b := protowire.AppendTag(nil, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func pbVarint(num protowire.Number, v uint64) []byte {
	return protowire.AppendVarint(protowire.AppendTag(nil, num, protowire.VarintType), v)
}

// pbRaw is a tag with a wire type and then the given bytes, as they are.
func pbRaw(num protowire.Number, typ protowire.Type, b ...byte) []byte {
	return append(protowire.AppendTag(nil, num, typ), b...)
}

// Paths into a CheckRequest: pbAttrs wraps AttributeContext fields, pbPeer the
// source's, pbSock its socket address's, pbReq the Request's and pbHTTP the
// HttpRequest's.
func pbAttrs(f ...[]byte) []byte { return pbSub(1, f...) }
func pbPeer(f ...[]byte) []byte  { return pbAttrs(pbSub(1, f...)) }
func pbSock(f ...[]byte) []byte  { return pbPeer(pbSub(1, pbSub(1, f...))) }
func pbReq(f ...[]byte) []byte   { return pbAttrs(pbSub(4, f...)) }
func pbHTTP(f ...[]byte) []byte  { return pbReq(pbSub(2, f...)) }

// pbEntry is a map<string, string> entry field num.
func pbEntry(num protowire.Number, k, v string) []byte { return pbSub(num, pbStr(1, k), pbStr(2, v)) }

// fastDecode runs the fast decoder and, when it says ok, checks that
// proto.Unmarshal succeeds on the same bytes with an equal message.
func fastDecode(t testing.TB, b []byte) bool {
	t.Helper()
	fast := &authv3.CheckRequest{}
	if !decodeCheckRequest(b, fast) {
		return false
	}
	want := &authv3.CheckRequest{}
	if err := proto.Unmarshal(b, want); err != nil {
		t.Fatalf("fast decoder accepted bytes proto.Unmarshal refuses (%v): %x", err, b)
	}
	if !proto.Equal(fast, want) {
		t.Fatalf("fast decoder: %v\nproto.Unmarshal: %v\nbytes %x", fast, want, b)
	}
	return true
}

// codecAgrees checks that Codec().Unmarshal (fast decoder and fallback)
// and gRPC's proto codec agree on b, split into two buffers.
func codecAgrees(t testing.TB, b []byte) {
	t.Helper()
	half := len(b) / 2
	split := mem.BufferSlice{mem.SliceBuffer(b[:half]), mem.SliceBuffer(b[half:])}
	got, want := &authv3.CheckRequest{}, &authv3.CheckRequest{}
	gotErr := Codec().Unmarshal(split, got)
	wantErr := encoding.GetCodecV2("proto").Unmarshal(mem.BufferSlice{mem.SliceBuffer(b)}, want)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("codec error %v, proto codec error %v; bytes %x", gotErr, wantErr, b)
	}
	if gotErr == nil && !proto.Equal(got, want) {
		t.Fatalf("codec: %v\nproto codec: %v\nbytes %x", got, want, b)
	}
}
