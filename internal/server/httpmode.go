package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/internal/forwardauth"
)

// httpMode is the plain-HTTP authorization listener (http_authz). A nil
// *httpMode is the disabled mode; its methods do nothing.
type httpMode struct {
	srv *http.Server
	lis net.Listener
}

// newHTTPMode opens the HTTP mode listener, or returns nil when
// http_authz.listen is empty.
func newHTTPMode(cfg config.HTTPMode, limits config.Limits, checker forwardauth.Checker, logger *slog.Logger, reg prometheus.Registerer) (*httpMode, error) {
	if cfg.Listen == "" {
		return nil, nil
	}
	trusted, err := parsePrefixes(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	h, err := forwardauth.New(checker, forwardauth.Options{Style: cfg.Style, TrustedProxies: trusted, Logger: logger, Registerer: reg})
	if err != nil {
		return nil, fmt.Errorf("server: http_authz: %w", err)
	}
	lis, err := listen(cfg.Listen)
	if err != nil {
		return nil, err
	}
	return &httpMode{
		srv: httpServer(h, limits, logger),
		lis: forwardauth.Guard(lis, cfg.Style),
	}, nil
}

// parsePrefixes reads CIDRs; a bare address is a single-address prefix.
func parsePrefixes(ss []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(ss))
	for _, s := range ss {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("server: http_authz.trusted_proxies: %q is not an address or CIDR", s)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// Addr is the bound address, or nil when disabled.
func (h *httpMode) Addr() net.Addr {
	if h == nil {
		return nil
	}
	return h.lis.Addr()
}

func (h *httpMode) serve() error {
	if h == nil {
		return nil
	}
	if err := h.srv.Serve(h.lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// shutdown lets in-flight checks finish.
func (h *httpMode) shutdown(ctx context.Context) error {
	if h == nil {
		return nil
	}
	return h.srv.Shutdown(ctx)
}

// close stops at once; idempotent.
func (h *httpMode) close() error {
	if h == nil {
		return nil
	}
	err := h.srv.Close()
	if cerr := h.lis.Close(); cerr != nil && !errors.Is(cerr, net.ErrClosed) && err == nil {
		err = cerr
	}
	return err
}
