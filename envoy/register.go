package envoy

import (
	"context"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/grpc"
)

// encodedResponse is a CheckResponse already in wire format; the codec
// sends it as it is.
type encodedResponse []byte

// Register serves s as envoy.service.auth.v3.Authorization on g. It is
// the generated service with one difference: Check answers with
// appendResponse's bytes rather than a message the codec then marshals,
// the same answer (TestRegisteredAnswersAsCheck) without building it
// twice. The gRPC server must use Codec (grpc.ForceServerCodecV2), which
// sends those bytes as they are.
func (s *Server) Register(g grpc.ServiceRegistrar) {
	desc := authv3.Authorization_ServiceDesc
	desc.Methods = []grpc.MethodDesc{{MethodName: "Check", Handler: s.checkHandler}}
	g.RegisterService(&desc, s)
}

// checkHandler is the generated _Authorization_Check_Handler, answering
// with encodedResponse.
func (s *Server) checkHandler(_ any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
	in := new(authv3.CheckRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return s.answer(ctx, in), nil
	}
	info := &grpc.UnaryServerInfo{Server: s, FullMethod: authv3.Authorization_Check_FullMethodName}
	return interceptor(ctx, in, info, func(ctx context.Context, req any) (any, error) {
		return s.answer(ctx, req.(*authv3.CheckRequest)), nil
	})
}

// answer decides req and encodes the answer; a panic while encoding is
// answered like a panic while deciding.
func (s *Server) answer(ctx context.Context, req *authv3.CheckRequest) (out encodedResponse) {
	d := s.decide(ctx, req)
	defer func() {
		if p := recover(); p != nil {
			s.opts.Logger.Error("encoding the answer panicked; denying")
			pd := PanicDecision()
			out = appendResponse(nil, &pd, &s.opts)
		}
	}()
	return appendResponse(make([]byte, 0, 512), &d, &s.opts)
}
