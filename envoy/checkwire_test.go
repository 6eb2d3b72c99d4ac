package envoy

import (
	"testing"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

const (
	bad     = "\xff"     // invalid UTF-8
	wireMax = ^uint64(0) // 10-byte varint: -1 as int32 or int64
)

// checkWireCases are CheckRequests built by hand on the wire. ok says
// whether the fast decoder must decode it (and then agree with
// proto.Unmarshal) or fall back; stdErr that proto.Unmarshal refuses it.
var checkWireCases = []struct {
	name       string
	b          []byte
	ok, stdErr bool
}{
	{"empty", nil, true, false},
	{"empty attributes", pbAttrs(), true, false},
	{"empty source", pbPeer(), true, false},
	{"fields out of order", pbHTTP(pbStr(4, "/p"), pbStr(2, "GET"), pbStr(1, "id")), true, false},
	{"repeated string, last wins", pbHTTP(pbStr(4, "/a"), pbStr(4, "/b")), true, false},
	{"repeated attributes merge", pbMsg(pbHTTP(pbStr(4, "/a")), pbPeer(pbStr(5, "cert")), pbHTTP(pbStr(2, "GET"))), true, false},
	{"repeated socket_address merges", pbMsg(pbSock(pbStr(2, "10.0.0.1")), pbSock(pbVarint(3, 80))), true, false},
	{"zero port_value is set", pbSock(pbVarint(3, 0)), true, false},
	{"port_value truncated to uint32", pbSock(pbVarint(3, 1<<33|5)), true, false},
	{"protocol enum any int32", pbMsg(pbSock(pbVarint(1, 7)), pbPeer()), true, false},
	{"protocol enum negative", pbSock(pbVarint(1, wireMax)), true, false},
	{"zero scalars on the wire", pbHTTP(pbVarint(9, 0), pbStr(4, ""), pbStr(12, "")), true, false},
	{"negative size", pbHTTP(pbVarint(9, wireMax)), true, false},
	{"timestamp merges, negative nanos", pbMsg(pbReq(pbSub(1, pbVarint(1, 5))), pbReq(pbSub(1, pbVarint(2, wireMax)))), true, false},
	{"timestamp unknown field", pbReq(pbSub(1, pbVarint(3, 1))), false, false},
	{"headers", pbHTTP(pbEntry(3, ":path", "/"), pbEntry(3, "a", "1")), true, false},
	{"header value before key", pbHTTP(pbSub(3, pbStr(2, "v"), pbStr(1, "k"))), true, false},
	{"header entry without key", pbHTTP(pbSub(3, pbStr(2, "v"))), true, false},
	{"header entry without value", pbHTTP(pbSub(3, pbStr(1, "k"))), true, false},
	{"header entry empty", pbHTTP(pbSub(3)), true, false},
	{"header entry repeated key field", pbHTTP(pbSub(3, pbStr(1, "a"), pbStr(2, "v"), pbStr(1, "b"))), true, false},
	{"duplicate header key, last wins", pbHTTP(pbEntry(3, "k", "1"), pbEntry(3, "k", "2")), true, false},
	{"headers across merged http", pbMsg(pbHTTP(pbEntry(3, "a", "1")), pbHTTP(pbEntry(3, "b", "2"), pbEntry(3, "a", "3"))), true, false},
	{"header entry unknown field", pbHTTP(pbSub(3, pbStr(1, "k"), pbVarint(3, 1))), false, false},
	{"header entry key as varint", pbHTTP(pbSub(3, pbVarint(1, 1))), false, false},
	{"context extensions, labels", pbMsg(pbAttrs(pbEntry(10, "env", "prod")), pbPeer(pbEntry(3, "app", "web"))), true, false},
	{"source and destination interleaved", pbMsg(pbSock(pbVarint(3, 1)), pbAttrs(pbSub(2, pbSub(1, pbSub(1, pbVarint(3, 2))))),
		pbSock(pbStr(2, "a")), pbAttrs(pbSub(2, pbSub(1, pbSub(1, pbStr(2, "b")))))), true, false},
	{"destination", pbAttrs(pbSub(2, pbStr(2, "svc"), pbStr(4, "spiffe://td/x"), pbSub(1, pbSub(1, pbStr(2, "::1"))))), true, false},
	{"header_map", pbHTTP(pbSub(13, pbSub(1, pbStr(1, "k"), pbStr(2, "v"), pbStr(3, bad)), pbSub(1))), true, false},
	{"header_map merges", pbMsg(pbHTTP(pbSub(13, pbSub(1, pbStr(1, "a")))), pbHTTP(pbSub(13, pbSub(1, pbStr(1, "b"))))), true, false},
	{"header_map value unknown field", pbHTTP(pbSub(13, pbSub(1, pbStr(4, "x")))), false, false},
	{"header_map unknown field", pbHTTP(pbSub(13, pbStr(2, "x"))), false, false},
	{"raw_body not UTF-8", pbHTTP(pbStr(12, bad+"{}")), true, false},
	{"body, raw_body, every string", pbHTTP(pbStr(1, "i"), pbStr(5, "h"), pbStr(6, "https"), pbStr(7, "q=1"), pbStr(8, "f"), pbStr(10, "HTTP/2"), pbStr(11, "{}"), pbStr(12, "{}")), true, false},
	{"tls_session", pbAttrs(pbSub(12, pbStr(1, "sni.example"))), true, false},
	{"empty tls_session", pbAttrs(pbSub(12)), true, false},
	{"empty metadata_context", pbAttrs(pbSub(11)), true, false},
	{"empty route_metadata_context", pbAttrs(pbSub(13), pbSub(13)), true, false},
	{"metadata_context", pbAttrs(pbSub(11, pbSub(1, pbStr(1, "f")))), false, false},
	{"non-minimal length varint", pbAttrs(pbRaw(12, protowire.BytesType, 0x80, 0x00)), true, false},

	{"unknown CheckRequest field", pbStr(2, "x"), false, false},
	{"unknown AttributeContext field", pbAttrs(pbStr(3, "x")), false, false},
	{"unknown HttpRequest field", pbHTTP(pbStr(14, "x")), false, false},
	{"unknown Peer field", pbPeer(pbStr(6, "x")), false, false},
	{"unknown SocketAddress field", pbSock(pbStr(5, "resolver")), false, false},
	{"unknown tls_session field", pbAttrs(pbSub(12, pbStr(2, "x"))), false, false},
	{"named_port", pbSock(pbStr(4, "http")), false, false},
	{"port_value then named_port", pbSock(pbVarint(3, 80), pbStr(4, "http")), false, false},
	{"pipe address", pbPeer(pbSub(1, pbSub(2, pbStr(1, "/sock")))), false, false},
	{"string as varint", pbHTTP(pbVarint(4, 1)), false, false},
	{"size as bytes", pbHTTP(pbStr(9, "1")), false, false},
	{"attributes as varint", pbVarint(1, 1), false, false},
	{"fixed64 field", pbHTTP(pbRaw(9, protowire.Fixed64Type, 1, 0, 0, 0, 0, 0, 0, 0)), false, false},
	{"fixed32 field", pbHTTP(pbRaw(9, protowire.Fixed32Type, 1, 0, 0, 0)), false, false},
	{"group", pbMsg(pbRaw(2, protowire.StartGroupType), pbRaw(2, protowire.EndGroupType)), false, false},
	{"end group", pbAttrs(pbRaw(1, protowire.EndGroupType)), false, true},
	{"field number 0", []byte{0x02, 0x00}, false, true},
	{"truncated tag", []byte{0x80}, false, true},
	{"truncated length", []byte{0x0a, 0x05, 0x0a}, false, true},
	{"truncated nested", pbAttrs([]byte{0x22, 0x03, 0x12}), false, true},
	{"overflowing varint", pbHTTP(pbRaw(9, protowire.VarintType, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02)), false, true},
	{"overlong varint", pbHTTP(pbRaw(9, protowire.VarintType, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)), false, true},
	{"path not UTF-8", pbHTTP(pbStr(4, "/"+bad)), false, true},
	{"body not UTF-8", pbHTTP(pbStr(11, bad)), false, true},
	{"certificate not UTF-8", pbPeer(pbStr(5, bad)), false, true},
	{"sni not UTF-8", pbAttrs(pbSub(12, pbStr(1, bad))), false, true},
	{"address not UTF-8", pbSock(pbStr(2, bad)), false, true},
	{"header key not UTF-8", pbHTTP(pbEntry(3, bad, "v")), false, true},
	{"header value not UTF-8", pbHTTP(pbEntry(3, "k", bad)), false, true},
	{"overwritten header value not UTF-8", pbHTTP(pbSub(3, pbStr(2, bad), pbStr(2, "v"))), false, true},
	{"context extension not UTF-8", pbAttrs(pbEntry(10, "k", "\xc0\xaf")), false, true},
	{"label surrogate half", pbPeer(pbEntry(3, "k", "\xed\xa0\x80")), false, true},
	{"header_map key not UTF-8", pbHTTP(pbSub(13, pbSub(1, pbStr(1, bad)))), false, true},
}

func TestCheckWireCases(t *testing.T) {
	for _, tc := range checkWireCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := fastDecode(t, tc.b); got != tc.ok {
				t.Errorf("fast decoder ok = %v, want %v", got, tc.ok)
			}
			err := proto.Unmarshal(tc.b, &authv3.CheckRequest{})
			if (err != nil) != tc.stdErr {
				t.Errorf("proto.Unmarshal error %v, want error %v", err, tc.stdErr)
			}
			codecAgrees(t, tc.b)
		})
	}
}

// The realistic requests decode on the fast path, except the one with
// metadata_context, and agree with proto.Unmarshal.
func TestCheckWireRealistic(t *testing.T) {
	for name, b := range realisticRequests(testca.New(t, "example.org")) {
		t.Run(name, func(t *testing.T) {
			if got, want := fastDecode(t, b), name != "metadata"; got != want {
				t.Errorf("fast decoder ok = %v, want %v", got, want)
			}
			codecAgrees(t, b)
		})
	}
}

// The codec's message keeps no reference to gRPC's buffer, which gRPC
// recycles once Unmarshal returns.
func TestCheckWireCopiesBuffer(t *testing.T) {
	b := pbMsg(pbHTTP(pbStr(4, "/orders"), pbEntry(3, "k", "v"), pbStr(11, "body"), pbStr(12, "raw"),
		pbSub(13, pbSub(1, pbStr(1, "h"), pbStr(3, "rv")))), pbPeer(pbStr(5, "cert")))
	got := &authv3.CheckRequest{}
	if err := Codec().Unmarshal(mem.BufferSlice{mem.SliceBuffer(b)}, got); err != nil {
		t.Fatal(err)
	}
	want := proto.Clone(got)
	for i := range b {
		b[i] = 'X'
	}
	if !proto.Equal(got, want) {
		t.Errorf("message changed with the buffer: %v", got)
	}
}

// nextField's shortcut for one-byte tags and lengths reads every two-byte
// prefix (and a few bytes after it) as protowire does.
func TestNextFieldShortcut(t *testing.T) {
	tail := []byte{0x01, 0x02, 0x03}
	for b0 := range 256 {
		for b1 := range 256 {
			for n := range len(tail) + 1 {
				b := append([]byte{byte(b0), byte(b1)}, tail[:n]...)
				f, rest, ok := nextField(b)
				wf, wrest, wok := nextFieldWire(b)
				if ok != wok || (ok && (f.tag != wf.tag || f.v != wf.v || string(f.b) != string(wf.b) || len(rest) != len(wrest))) {
					t.Fatalf("% x: nextField %+v %x %v, protowire %+v %x %v", b, f, rest, ok, wf, wrest, wok)
				}
			}
		}
	}
}
