package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tollgate-authz/tollgate/internal/adminui"
	"github.com/tollgate-authz/tollgate/internal/config"
)

// readiness reports why Tollgate is not ready, or nil.
type readiness func() error

// adminServer serves /metrics, /healthz and /readyz, and with admin.ui
// the page under /ui/.
type adminServer struct {
	srv *http.Server
	lis net.Listener
}

// newAdmin builds the admin server; ui nil leaves /ui/ unrouted (404).
func newAdmin(lis net.Listener, gatherer prometheus.Gatherer, ready readiness, limits config.Limits, logger *slog.Logger, ui http.Handler) *adminServer {
	mux := http.NewServeMux()
	if ui != nil {
		mux.Handle(adminui.Prefix, ui) // every method: the page answers 405 itself, with its headers
	}
	mux.Handle("GET /metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelError)}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if err := ready(); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	return &adminServer{
		srv: httpServer(mux, limits, logger),
		lis: lis,
	}
}

func (a *adminServer) serve() error {
	if err := a.srv.Serve(a.lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (a *adminServer) shutdown(ctx context.Context) error {
	return a.srv.Shutdown(ctx)
}
