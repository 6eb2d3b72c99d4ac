package envoy

import (
	"strings"
	"unicode/utf8"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of the messages in a CheckResponse
// (envoy.service.auth.v3, envoy.config.core.v3, envoy.type.v3,
// google.rpc, google.protobuf.Struct). TestWireFieldNumbers checks each
// against the generated descriptors.
const (
	fResponseStatus   = 1 // CheckResponse.status (google.rpc.Status)
	fResponseDenied   = 2 // CheckResponse.denied_response
	fResponseOK       = 3 // CheckResponse.ok_response
	fResponseMetadata = 4 // CheckResponse.dynamic_metadata

	fStatusCode    = 1 // google.rpc.Status.code
	fStatusMessage = 2 // google.rpc.Status.message

	fDeniedStatus  = 1 // DeniedHttpResponse.status (envoy.type.v3.HttpStatus)
	fDeniedHeaders = 2 // DeniedHttpResponse.headers
	fDeniedBody    = 3 // DeniedHttpResponse.body
	fHTTPCode      = 1 // HttpStatus.code

	fOKHeaders  = 2 // OkHttpResponse.headers
	fOKToRemove = 5 // OkHttpResponse.headers_to_remove

	fOptionHeader = 1 // HeaderValueOption.header
	fOptionAction = 3 // HeaderValueOption.append_action
	fHeaderKey    = 1 // HeaderValue.key
	fHeaderValue  = 2 // HeaderValue.value

	fStructFields = 1 // Struct.fields (map<string, Value>)
	fEntryKey     = 1 // map entry key
	fEntryValue   = 2 // map entry value
	fValueString  = 3 // Value.string_value
	fValueList    = 6 // Value.list_value
	fListValues   = 1 // ListValue.values
)

// wire appends protobuf wire bytes. A nested message is opened with begin,
// which writes its tag, and closed with end, which puts its length in
// front of what was appended since.
type wire struct{ b []byte }

func (w *wire) begin(f protowire.Number) int {
	w.b = protowire.AppendTag(w.b, f, protowire.BytesType)
	return len(w.b)
}

func (w *wire) end(start int) {
	n := len(w.b) - start
	size := protowire.SizeVarint(uint64(n))  //nolint:gosec // a length, >= 0
	w.b = append(w.b, make([]byte, size)...) // room for the length (no allocation while cap lasts)
	copy(w.b[start+size:], w.b[start:start+n])
	protowire.AppendVarint(w.b[start:start], uint64(n)) //nolint:gosec // a length, >= 0
}

// str appends a string field; proto3 omits an empty one. Invalid UTF-8,
// which Envoy's parser (and Go's) refuses for a string field, is
// replaced: an answer Envoy cannot parse is a failed call, which
// failure_mode_allow turns into an allow.
func (w *wire) str(f protowire.Number, s string) {
	if s == "" {
		return
	}
	w.oneofStr(f, s)
}

// oneofStr appends a string field even when empty (a oneof member).
func (w *wire) oneofStr(f protowire.Number, s string) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	w.b = protowire.AppendTag(w.b, f, protowire.BytesType)
	w.b = protowire.AppendString(w.b, s)
}

// varint appends an int32 or enum field; proto3 omits zero.
func (w *wire) varint(f protowire.Number, v int64) {
	if v == 0 {
		return
	}
	w.b = protowire.AppendTag(w.b, f, protowire.VarintType)
	w.b = protowire.AppendVarint(w.b, uint64(v)) //nolint:gosec // protobuf sign-extends a negative int32 to 64 bits, as this does
}

// header appends a HeaderValueOption that overwrites name with value.
func (w *wire) header(f protowire.Number, name, value string) {
	opt := w.begin(f)
	hv := w.begin(fOptionHeader)
	w.str(fHeaderKey, name)
	w.str(fHeaderValue, value)
	w.end(hv)
	w.varint(fOptionAction, int64(corev3.HeaderValueOption_OVERWRITE_IF_EXISTS_OR_ADD))
	w.end(opt)
}

// metadata appends the dynamic metadata Struct: each field is a map entry.
type metadataWire struct{ w *wire }

func (m metadataWire) str(key, v string) {
	e := m.w.begin(fStructFields)
	m.w.str(fEntryKey, key)
	val := m.w.begin(fEntryValue)
	m.w.oneofStr(fValueString, v)
	m.w.end(val)
	m.w.end(e)
}

func (m metadataWire) list(key string, vs []string) {
	e := m.w.begin(fStructFields)
	m.w.str(fEntryKey, key)
	val := m.w.begin(fEntryValue)
	l := m.w.begin(fValueList)
	for _, v := range vs {
		item := m.w.begin(fListValues)
		m.w.oneofStr(fValueString, v)
		m.w.end(item)
	}
	m.w.end(l)
	m.w.end(val)
	m.w.end(e)
}
