package main

import (
	"fmt"
	"strings"
	"testing"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

// fatalTB lets internal/testca run outside a test: Fatalf panics with the
// message and recoverInto turns it back into an error. testca calls only
// Helper and Fatalf; any other method panics on the nil embedded TB.
type fatalTB struct{ testing.TB }

type tbFatal string

func (*fatalTB) Helper() {}

func (*fatalTB) Fatalf(format string, args ...any) { panic(tbFatal(fmt.Sprintf(format, args...))) }

func (*fatalTB) recoverInto(err *error) {
	if p := recover(); p != nil {
		msg, ok := p.(tbFatal)
		if !ok {
			panic(p)
		}
		*err = fmt.Errorf("%s", string(msg))
	}
}

// request is an allowed CheckRequest as Envoy sends it: method and path,
// the usual headers plus extra, the peer certificate (may be empty) and a
// body (may be empty; sent as raw_body, as with pack_as_bytes).
func request(method, path, urlEncodedLeaf string, extra map[string]string, body []byte) ([]byte, error) {
	headers := map[string]string{
		":method": method, ":path": path, ":authority": "orders.internal", ":scheme": "https",
		"user-agent": "bench/1.0", "accept": "application/json", "x-request-id": "bench-1",
	}
	for k, v := range extra {
		headers[k] = v
	}
	r := &authv3.CheckRequest{Attributes: &authv3.AttributeContext{
		Source: &authv3.AttributeContext_Peer{
			Address: &corev3.Address{Address: &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{
				Address: "10.1.2.3", PortSpecifier: &corev3.SocketAddress_PortValue{PortValue: 51000}}}},
			Certificate: urlEncodedLeaf,
		},
		Request: &authv3.AttributeContext_Request{Http: &authv3.AttributeContext_HttpRequest{
			Id: "bench-1", Method: method, Path: path, Host: "orders.internal", Scheme: "https", Protocol: "HTTP/2",
			Headers: headers, RawBody: body, Size: int64(len(body)),
		}},
	}}
	return protojson.Marshal(r)
}

// mcpCall is a tools/call of a read-only tool with about 4 KiB of arguments.
func mcpCall() []byte {
	return []byte(fmt.Sprintf(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"search_issues",`+
		`"arguments":{"repo":"acme/orders","query":"label:bug","limit":50,"context":%q}}}`, strings.Repeat("lorem ipsum ", 340)))
}

// protoset is a FileDescriptorSet of root (external_auth.proto,
// external_processor.proto) and everything it imports, dependencies first,
// built from the registered Go types.
func protoset(root protoreflect.FileDescriptor) ([]byte, error) {
	set := &descriptorpb.FileDescriptorSet{}
	seen := map[string]bool{}
	var add func(fd protoreflect.FileDescriptor)
	add = func(fd protoreflect.FileDescriptor) {
		if seen[fd.Path()] {
			return
		}
		seen[fd.Path()] = true
		imps := fd.Imports()
		for i := range imps.Len() {
			add(imps.Get(i).FileDescriptor)
		}
		set.File = append(set.File, protodesc.ToFileDescriptorProto(fd))
	}
	add(root)
	return proto.Marshal(set)
}
