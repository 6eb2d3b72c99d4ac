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
	httpm   *httpMode
	authzen *authzenDoor // nil: authzen off (authzen.go)

	closeOnce sync.Once
	closeErr  error
}

// New builds every part from cfg and opens the listeners. It returns only
// once a policy snapshot and trust bundles are loaded, or an error.
func New(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*Server, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s := &Server{cfg: cfg, logger: logger, reg: reg}
	if err := s.open(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// open builds the parts and opens the listeners; Close undoes a partial open.
func (s *Server) open(ctx context.Context) error {
	var err error
	if s.parts, err = buildParts(ctx, s.cfg, s.logger, s.reg); err != nil {
		return err
	}
	if s.grpcLis, err = listen(s.cfg.Listen.GRPC); err != nil {
		return err
	}
	adminLis, err := listen(s.cfg.Listen.Admin)
	if err != nil {
		return err
	}
	ui, err := s.parts.uiHandler()
	if err != nil {
		_ = adminLis.Close()
		return err
	}
	s.admin = newAdmin(adminLis, s.reg, s.parts.ready, s.cfg.Listen.Limits, s.logger, ui)
	if s.httpm, err = newHTTPMode(s.cfg.HTTP, s.cfg.Listen.Limits, s.parts.engine, s.logger, s.reg); err != nil {
		return err
	}
	if s.authzen, err = newAuthZEN(s.cfg.AuthZEN, s.cfg.Listen.Limits, s.parts.sources, s.parts.engine, s.logger); err != nil {
		return err
	}
	s.grpc, s.health = s.newGRPC()
	return s.registerExtProc(s.grpc)
}

func (s *Server) newGRPC() (*grpc.Server, *health.Server) {
	opts := append(s.parts.grpcServerOptions(), grpc.NumStreamWorkers(StreamWorkers()), grpc.ForceServerCodecV2(envoy.Codec()))
	opts = append(opts, grpcLimits(s.cfg.Listen.Limits)...)
	g := grpc.NewServer(opts...)
	envoy.NewServer(s.parts.engine, envoy.Options{
		Logger: s.logger, ProxyNormalizesPath: s.cfg.Listen.ProxyNormalizesPath,
		ForwardJWT: forwardJWT(s.cfg)}).Register(g)
	h := health.NewServer()
	h.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	h.SetServingStatus(authv3.Authorization_ServiceDesc.ServiceName, healthpb.HealthCheckResponse_NOT_SERVING)
	healthpb.RegisterHealthServer(g, h)
	if s.cfg.Listen.Reflection {
		reflection.Register(g)
	}
	return g, h
}

// forwardJWT reports whether an allow keeps the caller's JWT-SVID for the
// upstream: identity.jwt.forward, or ext_proc, which runs after ext_authz
// in Envoy's chain and verifies the caller again from the same header (in
// that case Envoy's route-level request_headers_to_remove keeps it from the
// upstream: docs/security.md).
func forwardJWT(cfg *config.Config) bool {
	return cfg.Identity.JWT != nil && cfg.Identity.JWT.Forward || cfg.ExtProc.Enabled
}

// GRPCAddr is the address the ext_authz listener is bound to.
func (s *Server) GRPCAddr() net.Addr { return s.grpcLis.Addr() }

// Engine returns the decision engine.
func (s *Server) Engine() *authz.Engine { return s.parts.engine }

// Run serves until ctx is cancelled, then drains in-flight Checks and
// returns. A listener failure ends Run with that error.
func (s *Server) Run(ctx context.Context) error {
	errc := make(chan error, 5)
	if s.httpm != nil {
		go func() { errc <- s.httpm.serve() }()
	}
	if s.authzen != nil {
		go func() { errc <- s.authzen.serve() }()
	}
	go func() { errc <- s.grpc.Serve(s.grpcLis) }()
	go func() { errc <- s.admin.serve() }()
	go s.watchHealth(ctx)
	s.logger.Info("tollgate serving", "grpc", s.cfg.Listen.GRPC, "admin", s.cfg.Listen.Admin, "http_authz", s.cfg.HTTP.Listen, "authzen", s.authzen.String(),
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
	_ = s.httpm.shutdown(ctx)
	_ = s.authzen.shutdown(ctx)
	_ = s.admin.shutdown(ctx)
}

// Close releases everything. It is idempotent.
func (s *Server) Close() error {
	if s == nil { // New failed: it cleaned up already
		return nil
	}
	s.closeOnce.Do(func() {
		var errs []error
		if s.grpc != nil {
			s.grpc.Stop()
		}
		if s.grpcLis != nil {
			errs = append(errs, ignoreClosed(s.grpcLis.Close()))
		}
		if s.admin != nil {
			errs = append(errs, ignoreClosed(s.admin.lis.Close()))
		}
		errs = append(errs, s.httpm.close(), s.authzen.close())
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
