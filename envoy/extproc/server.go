package extproc

import (
	"context"
	"errors"
	"io"
	"log/slog"

	procv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// Filter decides which listed tools a caller sees. *authz.Engine
// implements it.
type Filter interface {
	FilterTools(ctx context.Context, r *authz.Request, lists [][]mcp.Tool) authz.Listing
}

var _ Filter = (*authz.Engine)(nil)

// DefaultMaxResponseBytes bounds a JSON response, or one SSE event.
const DefaultMaxResponseBytes = 1 << 20

// Options tune the external processor.
type Options struct {
	// MaxResponseBytes bounds a JSON response body or one SSE event; a
	// larger one is replaced by a JSON-RPC error. 0 means the default.
	MaxResponseBytes int
	// ProxyNormalizesPath is listen.proxy_normalizes_path, as for ext_authz.
	ProxyNormalizesPath bool
	Logger              *slog.Logger
	Registerer          prometheus.Registerer
}

// Server implements envoy.service.ext_proc.v3.ExternalProcessor.
type Server struct {
	procv3.UnimplementedExternalProcessorServer
	filter  Filter
	opts    Options
	metrics *metrics
}

var _ procv3.ExternalProcessorServer = (*Server)(nil)

// NewServer returns an external processor that asks filter.
func NewServer(filter Filter, opts Options) (*Server, error) {
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(opts.Registerer)
	if err != nil {
		return nil, err
	}
	return &Server{filter: filter, opts: opts, metrics: m}, nil
}

// Process serves one HTTP request's stream: each message Envoy sends gets
// exactly one answer, in order.
func (s *Server) Process(srv procv3.ExternalProcessor_ProcessServer) error {
	ctx := srv.Context()
	st := &stream{s: s, ctx: ctx}
	for {
		req, err := srv.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		resp, err := st.safeHandle(req)
		if err != nil {
			return err
		}
		if resp == nil {
			continue
		}
		if err := srv.Send(resp); err != nil {
			return err
		}
	}
}

// safeHandle answers one message. A panic ends the stream with an error:
// Envoy then fails the request (failure_mode_allow must stay false, as
// the example sets it), so nothing unfiltered is sent.
func (st *stream) safeHandle(req *procv3.ProcessingRequest) (resp *procv3.ProcessingResponse, err error) {
	defer func() {
		if p := recover(); p != nil {
			st.s.opts.Logger.Error("ext_proc panicked; failing the stream")
			resp, err = nil, status.Error(codes.Internal, "tollgate: internal error")
		}
	}()
	return st.handle(req)
}
