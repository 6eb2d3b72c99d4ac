package envoy

import (
	"unicode/utf8"
	"unsafe"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// The fast CheckRequest decoder. It models only what Envoy sends in an
// HTTP ext_authz CheckRequest and reports ok=false on anything else
// (unknown fields, wrong wire types, groups, truncation, invalid UTF-8, a
// non-empty metadata Struct, ...); the codec then hands the same bytes to
// proto.Unmarshal, which produces the real message or the real error. When
// it says ok, the message is exactly what proto.Unmarshal would produce:
// TestCheckWireCases and FuzzCheckWire compare the two.

// Wire types in tags: a case label 3<<3 | wLen is field 3, length-delimited.
const (
	wVarint = uint64(protowire.VarintType)
	wLen    = uint64(protowire.BytesType)
)

// arenaStart bounds the first allocation of the string arena; most
// requests' strings fit in it, larger ones grow it by append.
const arenaStart = 4 << 10

// field is one field of a message on the wire: v holds a varint's value,
// b a length-delimited field's bytes.
type field struct {
	tag uint64 // number<<3 | wire type
	v   uint64
	b   []byte
}

// nextField reads the field at the start of b and returns the rest of b.
// ok is false when b is malformed or the field is neither a varint nor
// length-delimited (no field this decoder models is anything else).
func nextField(b []byte) (f field, rest []byte, ok bool) {
	// Most fields have a one-byte tag (field number 1 to 15) and a one-byte
	// varint or length; TestNextFieldShortcut checks this against protowire.
	if len(b) >= 2 && b[0] >= 1<<3 && b[0] < 0x80 && b[1] < 0x80 {
		switch uint64(b[0] & 7) {
		case wVarint:
			return field{tag: uint64(b[0]), v: uint64(b[1])}, b[2:], true
		case wLen:
			if n := 2 + int(b[1]); n <= len(b) {
				return field{tag: uint64(b[0]), b: b[2:n]}, b[n:], true
			}
		}
	}
	return nextFieldWire(b)
}

// nextFieldWire is nextField with protowire, for every field.
func nextFieldWire(b []byte) (f field, rest []byte, ok bool) {
	num, typ, n := protowire.ConsumeTag(b)
	if n < 0 {
		return f, nil, false
	}
	b = b[n:]
	switch typ {
	case protowire.VarintType:
		f.v, n = protowire.ConsumeVarint(b)
	case protowire.BytesType:
		f.b, n = protowire.ConsumeBytes(b)
	default:
		return f, nil, false
	}
	if n < 0 {
		return f, nil, false
	}
	f.tag = protowire.EncodeTag(num, typ)
	return f, b[n:], true
}

// eachField calls fn with each field of the message b, in order, and
// reports whether b is well formed and fn accepted every field (fn returns
// false for a field the decoder does not model, or cannot decode).
func eachField(b []byte, fn func(f field) bool) bool {
	for len(b) > 0 {
		f, rest, ok := nextField(b)
		if !ok || !fn(f) {
			return false
		}
		b = rest
	}
	return true
}

// Varint fields convert as in protobuf-go: int32, uint32 and enum fields
// keep the low 32 bits (a negative int32 is sent as 10 bytes), int64 fields
// are the varint's two's complement.
func wireInt64(v uint64) int64   { return int64(v) }  //nolint:gosec // protobuf semantics
func wireInt32(v uint64) int32   { return int32(v) }  //nolint:gosec // protobuf semantics
func wireUint32(v uint64) uint32 { return uint32(v) } //nolint:gosec // protobuf semantics

// decoder holds the arena one request's strings are copied into and the
// blocks its messages come from.
type decoder struct {
	arena    []byte
	blk      *requestBlock
	src, dst *peerBlock
}

// requestBlock and peerBlock hold the messages of the usual request, so
// that they cost one allocation per block and not one each. Each field is
// handed out once: a message is created once per decoding (a repeated one
// is merged into it), and only where its parent comes from the same block.
type requestBlock struct {
	attrs authv3.AttributeContext
	req   authv3.AttributeContext_Request
	http  authv3.AttributeContext_HttpRequest
	time  timestamppb.Timestamp
}

// peerBlock is a source or destination Peer with its socket address.
type peerBlock struct {
	peer  authv3.AttributeContext_Peer
	addr  corev3.Address
	sockW corev3.Address_SocketAddress
	sock  corev3.SocketAddress
	port  corev3.SocketAddress_PortValue
}

// str returns the proto3 string field v, or ok=false if v is not valid
// UTF-8 (proto.Unmarshal fails on it).
func (d *decoder) str(v []byte) (s string, ok bool) {
	if !utf8.Valid(v) {
		return "", false
	}
	return d.alias(v), true
}

// alias copies v to the end of the arena and returns the copy as a string
// without a second allocation. This is the only unsafe code of the
// decoder, and it is safe because the copied bytes are never written
// again: later appends write only past the arena's length, a growing
// append copies to a new array and leaves the old one as it was, and the
// arena belongs to this one decoding, which drops it on return, so the
// strings are the only references left. Bodies are not copied here (see
// httpRequest), so a kept string pins the request's strings, not its body.
func (d *decoder) alias(v []byte) string {
	if len(v) == 0 {
		return ""
	}
	start := len(d.arena)
	d.arena = append(d.arena, v...)
	return unsafe.String(&d.arena[start], len(v)) //nolint:gosec // safe, see above
}

// decodeCheckRequest decodes b into m (reset first) and reports whether it
// could; on false, m holds a partial message for the caller to reset.
func decodeCheckRequest(b []byte, m *authv3.CheckRequest) bool {
	m.Reset()
	d := decoder{arena: make([]byte, 0, min(len(b), arenaStart))}
	return eachField(b, func(f field) bool {
		if f.tag != 1<<3|wLen { // attributes
			return false
		}
		if m.Attributes == nil {
			d.blk = &requestBlock{}
			m.Attributes = &d.blk.attrs
		}
		return d.attributes(f.b, m.Attributes)
	})
}
