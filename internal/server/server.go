package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/envoy"
	"github.com/tollgate-authz/tollgate/internal/config"
)

// Server is a running Tollgate.
type Server struct {
	cfg     *config.Config
	logger  *slog.Logger
	reg     *prometheus.Registry
	parts   *parts
	grpc    *grpc.Server
	health  *health.Server
	admin   *adminServer
	grpcLis net.Listener

	closeOnce sync.Once
	closeErr  error
}

// New builds every part from cfg and opens the listeners. It returns only
// once a policy snapshot and trust bundles are loaded, or an error.
func New(ctx context.Context, cfg *config.Config, logger *slog.Logger) (s *Server, err error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s = &Server{cfg: cfg, logger: logger, reg: reg}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if s.parts, err = buildParts(ctx, cfg, logger, reg); err != nil {
		return nil, err
	}
	if s.grpcLis, err = listen(cfg.Listen.GRPC); err != nil {
		return nil, err
	}
	adminLis, err := listen(cfg.Listen.Admin)
	if err != nil {
		return nil, err
	}
	s.admin = newAdmin(adminLis, reg, s.parts.ready, logger)
	s.grpc, s.health = s.newGRPC()
	return s, nil
}

func (s *Server) newGRPC() (*grpc.Server, *health.Server) {
	opts := s.parts.grpcServerOptions()
	g := grpc.NewServer(opts...)
	authv3.RegisterAuthorizationServer(g, envoy.NewServer(s.parts.engine, envoy.Options{Logger: s.logger}))
	h := health.NewServer()
	h.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	h.SetServingStatus(authv3.Authorization_ServiceDesc.ServiceName, healthpb.HealthCheckResponse_NOT_SERVING)
	healthpb.RegisterHealthServer(g, h)
	if s.cfg.Listen.Reflection {
		reflection.Register(g)
	}
	return g, h
}

// GRPCAddr is the address the ext_authz listener is bound to.
func (s *Server) GRPCAddr() net.Addr { return s.grpcLis.Addr() }

// Engine returns the decision engine.
func (s *Server) Engine() *authz.Engine { return s.parts.engine }

// Run serves until ctx is cancelled, then drains in-flight Checks and
// returns. A listener failure ends Run with that error.
func (s *Server) Run(ctx context.Context) error {
	errc := make(chan error, 3)
	go func() { errc <- s.grpc.Serve(s.grpcLis) }()
	go func() { errc <- s.admin.serve() }()
	s.parts.start(ctx)
	go s.watchHealth(ctx)
	s.logger.Info("tollgate serving", "grpc", s.cfg.Listen.GRPC, "admin", s.cfg.Listen.Admin,
		"policy_version", s.parts.policyVersion())
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
		err = fmt.Errorf("server: listener failed: %w", err)
	}
	s.drain()
	return err
}

// watchHealth keeps gRPC health in step with readiness.
func (s *Server) watchHealth(ctx context.Context) {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		st := healthpb.HealthCheckResponse_SERVING
		if err := s.parts.ready(); err != nil {
			st = healthpb.HealthCheckResponse_NOT_SERVING
		}
		s.health.SetServingStatus("", st)
		s.health.SetServingStatus(authv3.Authorization_ServiceDesc.ServiceName, st)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// drain stops accepting work, lets in-flight Checks finish (bounded by the
// shutdown timeout) and stops the admin listener.
func (s *Server) drain() {
	s.health.Shutdown()
	done := make(chan struct{})
	go func() { s.grpc.GracefulStop(); close(done) }()
	select {
	case <-done:
		s.logger.Info("drained in-flight checks")
	case <-time.After(s.cfg.Shutdown):
		s.logger.Warn("shutdown timeout: stopping with checks in flight")
		s.grpc.Stop()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = s.admin.shutdown(ctx)
}

// Close releases everything. It is idempotent.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		var errs []error
		if s.grpc != nil {
			s.grpc.Stop()
		} else if s.grpcLis != nil {
			errs = append(errs, s.grpcLis.Close())
		}
		if s.admin != nil {
			errs = append(errs, ignoreClosed(s.admin.lis.Close()))
		}
		if s.parts != nil {
			errs = append(errs, s.parts.close())
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

func ignoreClosed(err error) error {
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
