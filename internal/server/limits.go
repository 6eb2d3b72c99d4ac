package server

import (
	"log/slog"
	"net/http"

	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"

	"github.com/tollgate-authz/tollgate/internal/config"
)

// grpcLimits bound the ext_authz listener (listen.limits): message size,
// streams per connection, header list, handshake time and keepalive.
// Clients may ping without a call in flight (Envoy keeps idle connections
// alive), but no more often than keepalive_min_time.
func grpcLimits(l config.Limits) []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.MaxRecvMsgSize(l.MaxRecvBytes),
		grpc.MaxConcurrentStreams(uint32(l.MaxConcurrentStreams)), //nolint:gosec // validated <= 1<<20
		grpc.MaxHeaderListSize(uint32(l.MaxHeaderBytes)),          //nolint:gosec // validated <= 16 MiB
		grpc.ConnectionTimeout(l.ReadHeaderTimeout),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: l.KeepaliveMinTime, PermitWithoutStream: true}),
		grpc.KeepaliveParams(keepalive.ServerParameters{Time: l.KeepaliveTime, Timeout: l.KeepaliveTimeout}),
	}
}

// httpServer serves h with the HTTP timeouts and header size of
// listen.limits, so a slow or oversized client is cut off. net/http's own
// "OPTIONS *" handler is off: its 200 would be an allow in the HTTP mode;
// h answers (and refuses) that request like any other.
func httpServer(h http.Handler, l config.Limits, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:                      h,
		DisableGeneralOptionsHandler: true,
		ReadHeaderTimeout:            l.ReadHeaderTimeout,
		ReadTimeout:                  l.ReadTimeout,
		WriteTimeout:                 l.WriteTimeout,
		IdleTimeout:                  l.IdleTimeout,
		MaxHeaderBytes:               l.MaxHeaderBytes,
		ErrorLog:                     slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}
