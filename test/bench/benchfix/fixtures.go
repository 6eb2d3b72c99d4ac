package main

import (
	"fmt"
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

// requestJSON is the benchmark's allowed request: the storefront reading
// an order, with its X.509-SVID as Envoy forwards it.
func requestJSON(urlEncodedLeaf string) ([]byte, error) {
	r := &authv3.CheckRequest{Attributes: &authv3.AttributeContext{
		Source: &authv3.AttributeContext_Peer{
			Address: &corev3.Address{Address: &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{
				Address: "10.1.2.3", PortSpecifier: &corev3.SocketAddress_PortValue{PortValue: 51000}}}},
			Certificate: urlEncodedLeaf,
		},
		Request: &authv3.AttributeContext_Request{Http: &authv3.AttributeContext_HttpRequest{
			Id: "bench-1", Method: "GET", Path: "/orders/42", Host: "orders.internal", Scheme: "https", Protocol: "HTTP/2",
			Headers: map[string]string{
				":method": "GET", ":path": "/orders/42", ":authority": "orders.internal", ":scheme": "https",
				"user-agent": "bench/1.0", "accept": "application/json", "x-request-id": "bench-1",
			},
		}},
	}}
	return protojson.Marshal(r)
}

// protoset is a FileDescriptorSet of external_auth.proto and everything it
// imports, dependencies first, built from the registered Go types.
func protoset() ([]byte, error) {
	root := (&authv3.CheckRequest{}).ProtoReflect().Descriptor().ParentFile()
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
