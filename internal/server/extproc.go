package server

import (
	procv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
	"google.golang.org/grpc"

	"github.com/tollgate-authz/tollgate/envoy/extproc"
)

// registerExtProc registers Envoy's external processor next to ext_authz
// when ext_proc.enabled is set.
func (s *Server) registerExtProc(g *grpc.Server) error {
	if !s.cfg.ExtProc.Enabled {
		return nil
	}
	p, err := extproc.NewServer(s.parts.engine, extproc.Options{
		MaxResponseBytes:    s.cfg.ExtProc.MaxResponseBytes,
		ProxyNormalizesPath: s.cfg.Listen.ProxyNormalizesPath,
		Logger:              s.logger,
		Registerer:          s.reg,
	})
	if err != nil {
		return err
	}
	procv3.RegisterExternalProcessorServer(g, p)
	return nil
}
