package envoy

import (
	"context"
	"log/slog"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"

	"github.com/tollgate-authz/tollgate/authz"
)

// Checker decides one request. *authz.Engine implements it.
type Checker interface {
	Check(ctx context.Context, r *authz.Request) authz.Decision
}

var _ Checker = (*authz.Engine)(nil)

// Options tune the ext_authz server.
type Options struct {
	// MCPDenyStatus is the HTTP status of a denied MCP call (default 200,
	// so MCP clients read the JSON-RPC error body).
	MCPDenyStatus int
	Logger        *slog.Logger
	// ProxyNormalizesPath is the operator's declaration that Envoy
	// normalises the path for the upstream (listen.proxy_normalizes_path);
	// it sets authz.Request.ProxyNormalizedPath on every request.
	ProxyNormalizesPath bool
	// ForwardJWT keeps the caller's verified JWT-SVID in Authorization on
	// an allowed request (identity.jwt.forward). Without it the header is
	// removed: the token is a credential for Tollgate's audience, and an
	// upstream holding it could replay it to every service behind Tollgate.
	ForwardJWT bool
}

// Server implements envoy.service.auth.v3.Authorization.
type Server struct {
	authv3.UnimplementedAuthorizationServer
	checker Checker
	opts    Options
}

var _ authv3.AuthorizationServer = (*Server)(nil)

// NewServer returns an ext_authz server that asks checker.
func NewServer(checker Checker, opts Options) *Server {
	if opts.MCPDenyStatus == 0 {
		opts.MCPDenyStatus = 200
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Server{checker: checker, opts: opts}
}

// Check answers one ext_authz request. It never returns a transport error
// for a denial: every outcome, a panic included, is a CheckResponse, since
// Envoy's failure_mode_allow reads a failed call as an allow.
func (s *Server) Check(ctx context.Context, req *authv3.CheckRequest) (*authv3.CheckResponse, error) {
	return readResponse(s.answer(ctx, req)), nil // the registered service's answer, as a message
}

// decide asks the checker; a panic is an internal-error denial.
func (s *Server) decide(ctx context.Context, req *authv3.CheckRequest) (d authz.Decision) {
	defer func() {
		if p := recover(); p != nil {
			s.opts.Logger.Error("check panicked; denying")
			d = PanicDecision()
		}
	}()
	r := toRequest(req)
	r.ProxyNormalizedPath = s.opts.ProxyNormalizesPath
	r.Credentials.Hop, r.Credentials.HopAddress = peerHop(ctx)
	return s.checker.Check(ctx, r)
}
