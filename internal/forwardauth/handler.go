// Package forwardauth is Tollgate's forward-auth listener: the HTTP
// authorization protocol of nginx auth_request, Caddy forward_auth,
// Traefik ForwardAuth and Envoy's ext_authz http_service, where a proxy
// forwards a description of each request and the answer's status is the
// verdict. It turns the forwarded request into an authz.Request and the
// authz.Decision into the same denial the ext_authz gRPC server gives
// (envoy.Deny), so a denial reads alike on either listener.
package forwardauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/envoy"
	"github.com/tollgate-authz/tollgate/identity"
)

// Checker decides requests; *authz.Engine implements it.
type Checker interface {
	Check(ctx context.Context, r *authz.Request) authz.Decision
}

var _ Checker = (*authz.Engine)(nil)

// Errors of New.
var (
	ErrStyle            = errors.New("forwardauth: unknown HTTP authorization style")
	ErrNoTrustedProxies = errors.New("forwardauth: the HTTP mode needs trusted proxies")
)

// HeaderDenyBody carries the denial body to nginx, which cannot pass the
// body of an auth_request answer to the client (see examples/nginx).
const HeaderDenyBody = "X-Tollgate-Deny-Body"

// CodeUntrustedProxy is the code of a check request from an address
// outside the trusted proxies.
const CodeUntrustedProxy = "untrusted_proxy"

// DefaultMaxBody bounds the body the Envoy style reads; a longer body
// is marked truncated, which denies MCP routes.
const DefaultMaxBody = 4 << 20

// Options configure the HTTP authorization mode.
type Options struct {
	Style          string         // StyleEnvoy, StyleNginx, StyleCaddy or StyleTraefik
	TrustedProxies []netip.Prefix // only these source addresses may ask
	MaxBodyBytes   int64          // Envoy style; 0 means DefaultMaxBody
	Logger         *slog.Logger
	// Registerer receives tollgate_http_refused_total; nil skips it.
	Registerer prometheus.Registerer
}

// Handler serves the HTTP authorization mode: 200 allows (with the
// x-spiffe-id and x-tollgate-decision-id headers for the upstream); any
// other status denies, with the same body as the gRPC mode.
type Handler struct {
	checker Checker
	opts    Options
	metrics *httpMetrics
}

var _ http.Handler = (*Handler)(nil)

// New validates opts and returns the handler.
func New(checker Checker, opts Options) (*Handler, error) {
	switch opts.Style {
	case StyleEnvoy, StyleNginx, StyleCaddy, StyleTraefik:
	default:
		return nil, fmt.Errorf("%w: %q", ErrStyle, opts.Style)
	}
	if len(opts.TrustedProxies) == 0 {
		return nil, ErrNoTrustedProxies
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBody
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	m, err := newHTTPMetrics(opts.Registerer)
	if err != nil {
		return nil, err
	}
	return &Handler{checker: checker, opts: opts, metrics: m}, nil
}

// ServeHTTP answers one check request. Every answer but an allow is a
// 4xx: a panic is a 403 internal-error denial, never a dropped connection
// or a 5xx, which a proxy set to fail open would read as an allow.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			h.opts.Logger.Error("HTTP check panicked; denying")
			d := envoy.PanicDecision()
			h.answer(w, &d)
		}
	}()
	hop, ok := h.trusted(r.RemoteAddr)
	if !ok {
		h.opts.Logger.Warn("HTTP check from an untrusted address refused", "remote", r.RemoteAddr)
		h.metrics.refused.WithLabelValues(refusedUntrustedProxy).Inc()
		refuse(w, http.StatusForbidden, CodeUntrustedProxy, "the caller is not a trusted proxy")
		return
	}
	f, err := forwarded(h.opts.Style, r)
	if err != nil {
		// The proxy config is wrong or a client got through: fail closed.
		h.opts.Logger.Warn("HTTP check with a bad forwarded request refused", "error", err)
		h.metrics.refused.WithLabelValues(refusedBadForwarded).Inc()
		refuse(w, http.StatusBadRequest, refusedBadForwarded, err.Error())
		return
	}
	req := h.toRequest(r, &f, hop)
	d := h.checker.Check(r.Context(), req)
	h.answer(w, &d)
}

func (h *Handler) trusted(remote string) (string, bool) {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return "", false
	}
	a := ap.Addr().Unmap()
	for _, p := range h.opts.TrustedProxies {
		if p.Contains(a) {
			return a.String(), true
		}
	}
	return "", false
}

// toRequest builds the authz.Request. Identity comes from XFCC (trusted
// only as configured for the proxy's address) or a forwarded JWT-SVID.
func (h *Handler) toRequest(r *http.Request, f *forwardedRequest, hop string) *authz.Request {
	headers := make(map[string]string, len(r.Header))
	for k, vs := range r.Header {
		headers[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	req := &authz.Request{
		Method: f.method, Path: f.uri, Host: f.host, Scheme: f.scheme,
		Headers: headers, SourceAddress: f.client, TLS: f.scheme == "https",
		ContentLength: -1,
		Credentials: identity.Credentials{
			XFCC:          headers["x-forwarded-client-cert"],
			Authorization: headers["authorization"],
			HopAddress:    hop,
		},
	}
	if !f.hasBody {
		// nginx, Caddy and Traefik never send the body to the auth
		// service: a route that needs it (MCP) is denied.
		req.BodyTruncated = true
		return req
	}
	req.ContentLength = r.ContentLength
	body, err := io.ReadAll(io.LimitReader(r.Body, h.opts.MaxBodyBytes+1))
	req.Body = body
	req.BodyTruncated = err != nil || int64(len(body)) > h.opts.MaxBodyBytes || envoy.PartialBody(headers)
	return req
}

func (h *Handler) answer(w http.ResponseWriter, d *authz.Decision) {
	d = envoy.Settled(d)
	if d.Allowed() {
		w.Header().Set(envoy.HeaderSPIFFEID, d.Identity.ID.String())
		w.Header().Set(envoy.HeaderDecisionID, d.ID)
		w.WriteHeader(http.StatusOK)
		return
	}
	a := envoy.Deny(d, envoy.HTTPStatus(d.Outcome))
	for _, kv := range a.Headers {
		w.Header().Set(kv[0], kv[1])
	}
	if h.opts.Style == StyleNginx && len(a.Body) > 0 {
		w.Header().Set(HeaderDenyBody, string(a.Body))
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Body)))
	w.WriteHeader(h.denialStatus(a.Status))
	_, _ = w.Write(a.Body)
}

// denialStatus is the status of a denial in the HTTP mode, where the status
// is the verdict: never 2xx (an allow) and never 5xx (an allow to a proxy
// set to fail open). nginx honours only 401 and 403 (anything else becomes
// a 500), so the nginx style answers 401 or 403.
func (h *Handler) denialStatus(status int) int {
	if status < 300 || status >= 500 {
		return http.StatusForbidden
	}
	if h.opts.Style == StyleNginx && status != http.StatusUnauthorized {
		return http.StatusForbidden
	}
	return status
}

// refuse answers a check request the HTTP mode refuses before deciding.
func refuse(w http.ResponseWriter, status int, code, reason string) {
	w.Header().Set(envoy.HeaderCode, code)
	writeJSON(w, status, errorBody(code, reason))
}

func errorBody(code, reason string) []byte {
	b, _ := json.Marshal(struct {
		Code   string `json:"code"`
		Reason string `json:"reason"`
	}{code, reason})
	return b
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
