package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authzen"
	"github.com/tollgate-authz/tollgate/internal/config"
)

// authzenDoor is the AuthZEN HTTPS listener (authzen). A nil *authzenDoor
// is the disabled door; its methods do nothing.
type authzenDoor struct {
	srv *http.Server
	lis net.Listener
}

// newAuthZEN opens the AuthZEN listener: TLS with Tollgate's own SVID from
// the Workload API, requiring a client X.509-SVID that chains to
// Tollgate's trust bundles and is one of allowed_callers (others fail the
// handshake; the handler checks the list again and answers 403).
func newAuthZEN(cfg *config.AuthZEN, limits config.Limits, s *identitySources, eval authzen.Evaluator, logger *slog.Logger) (*authzenDoor, error) {
	if cfg == nil {
		return nil, nil
	}
	if s.workload == nil {
		return nil, errors.New("server: authzen needs identity.workload_api for Tollgate's own SVID")
	}
	ids := make([]spiffeid.ID, 0, len(cfg.AllowedCallers))
	for i, c := range cfg.AllowedCallers {
		id, err := spiffeid.FromString(c)
		if err != nil {
			return nil, fmt.Errorf("server: authzen.allowed_callers[%d]: %w", i, err)
		}
		ids = append(ids, id)
	}
	h, err := authzen.NewHandler(eval, authzen.Options{PDP: cfg.PolicyDecisionPoint, AllowedCallers: ids,
		MaxBodyBytes: cfg.MaxBodyBytes, MaxEvaluations: cfg.MaxEvaluations, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("server: authzen: %w", err)
	}
	lis, err := listen(cfg.Listen)
	if err != nil {
		return nil, err
	}
	tc := authzen.TLSConfig(s.workload, s.chain, ids)
	return &authzenDoor{srv: httpServer(h, limits, logger), lis: tls.NewListener(lis, tc)}, nil
}

// Addr is the bound address, or nil when disabled.
func (a *authzenDoor) Addr() net.Addr {
	if a == nil {
		return nil
	}
	return a.lis.Addr()
}

// String is the bound address, or "" when disabled (for the start line).
func (a *authzenDoor) String() string {
	if a == nil {
		return ""
	}
	return a.lis.Addr().String()
}

func (a *authzenDoor) serve() error {
	if a == nil {
		return nil
	}
	if err := a.srv.Serve(a.lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (a *authzenDoor) shutdown(ctx context.Context) error {
	if a == nil {
		return nil
	}
	return a.srv.Shutdown(ctx)
}

// close stops at once; idempotent.
func (a *authzenDoor) close() error {
	if a == nil {
		return nil
	}
	err := a.srv.Close()
	if cerr := a.lis.Close(); cerr != nil && !errors.Is(cerr, net.ErrClosed) && err == nil {
		err = cerr
	}
	return err
}
