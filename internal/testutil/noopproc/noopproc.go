// Package noopproc is the no-op Envoy ext_proc server the benchmarks compare
// Tollgate's processor with: every message of a stream is answered
// "continue, unchanged" without being read. test/noopauthz serves it
// (-extproc) and envoy/extproc's benchmarks run it in process.
package noopproc

import (
	"errors"
	"io"

	procv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
)

// Processor is the no-op ext_proc server.
type Processor struct {
	procv3.UnimplementedExternalProcessorServer
}

// Process answers each message of the stream until Envoy closes it.
func (Processor) Process(s procv3.ExternalProcessor_ProcessServer) error {
	for {
		req, err := s.Recv()
		if errors.Is(err, io.EOF) {
			return nil // Envoy closed the stream
		} else if err != nil {
			return err
		}
		var resp procv3.ProcessingResponse
		switch req.GetRequest().(type) {
		case *procv3.ProcessingRequest_RequestHeaders:
			resp.Response = &procv3.ProcessingResponse_RequestHeaders{RequestHeaders: &procv3.HeadersResponse{}}
		case *procv3.ProcessingRequest_RequestBody:
			resp.Response = &procv3.ProcessingResponse_RequestBody{RequestBody: &procv3.BodyResponse{}}
		case *procv3.ProcessingRequest_ResponseHeaders:
			resp.Response = &procv3.ProcessingResponse_ResponseHeaders{ResponseHeaders: &procv3.HeadersResponse{}}
		default:
			resp.Response = &procv3.ProcessingResponse_ResponseBody{ResponseBody: &procv3.BodyResponse{}}
		}
		if err := s.Send(&resp); err != nil {
			return err
		}
	}
}
