package envoy

import (
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"

	// Registers the "proto" codec this one falls back to.
	_ "google.golang.org/grpc/encoding/proto"
)

// vtMarshaler is implemented by the vtprotobuf code go-control-plane
// generates for Envoy's messages (CheckResponse among them).
type vtMarshaler interface {
	SizeVT() int
	MarshalToSizedBufferVTStrict(dAtA []byte) (int, error)
}

// codec is gRPC's proto codec, except that messages with generated
// vtprotobuf marshalling (the CheckResponse with its dynamic metadata) are
// marshalled without reflection into a pooled buffer, and a CheckRequest
// is unmarshalled by a hand-written decoder. Every other message goes to the
// standard codec. The wire bytes are the same (TestCodecMatchesProto) and
// so are the decoded messages (FuzzCheckWire).
type codec struct {
	std  encoding.CodecV2
	pool mem.BufferPool
}

// Codec returns the server codec for the ext_authz listener.
func Codec() encoding.CodecV2 {
	return codec{std: encoding.GetCodecV2("proto"), pool: mem.DefaultBufferPool()}
}

func (c codec) Marshal(v any) (mem.BufferSlice, error) {
	if b, ok := v.(encodedResponse); ok { // Register's Check answers
		return mem.BufferSlice{mem.SliceBuffer(b)}, nil
	}
	m, ok := v.(vtMarshaler)
	if !ok {
		return c.std.Marshal(v)
	}
	size := m.SizeVT()
	if mem.IsBelowBufferPoolingThreshold(size) {
		buf := make([]byte, size)
		if _, err := m.MarshalToSizedBufferVTStrict(buf); err != nil {
			return nil, err
		}
		return mem.BufferSlice{mem.SliceBuffer(buf)}, nil
	}
	bp := c.pool.Get(size)
	if _, err := m.MarshalToSizedBufferVTStrict((*bp)[:size]); err != nil {
		c.pool.Put(bp)
		return nil, err
	}
	return mem.BufferSlice{mem.NewBuffer(bp, c.pool)}, nil
}

// Unmarshal decodes a CheckRequest with the fast decoder (checkwire.go),
// falling back to the standard codec, which decodes every other message,
// whenever the fast decoder is not sure of the bytes.
func (c codec) Unmarshal(data mem.BufferSlice, v any) error {
	if m, ok := v.(*authv3.CheckRequest); ok && c.unmarshalCheck(data, m) {
		return nil
	}
	return c.std.Unmarshal(data, v)
}

// unmarshalCheck reports whether the fast decoder decoded data into m; if
// not, m is reset for the standard codec. The decoded message keeps no
// reference to data, which gRPC recycles when Unmarshal returns.
func (c codec) unmarshalCheck(data mem.BufferSlice, m *authv3.CheckRequest) bool {
	buf := data.MaterializeToBuffer(c.pool)
	defer buf.Free()
	if decodeCheckRequest(buf.ReadOnlyData(), m) {
		return true
	}
	m.Reset()
	return false
}

func (codec) Name() string { return "proto" }
