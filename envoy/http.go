package envoy

import (
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
	"github.com/tollgate-authz/tollgate/identity"
)

// Errors of NewHTTPHandler.
var (
	ErrStyle            = errors.New("envoy: unknown HTTP authorization style")
	ErrNoTrustedProxies = errors.New("envoy: the HTTP mode needs trusted proxies")
)

// HeaderDenyBody carries the denial body to nginx, which cannot pass the
// body of an auth_request answer to the client (see examples/nginx).
const HeaderDenyBody = "X-Tollgate-Deny-Body"

// CodeUntrustedProxy is the code of a check request from an address
// outside the trusted proxies.
const CodeUntrustedProxy = "untrusted_proxy"

// DefaultHTTPMaxBody bounds the body the Envoy style reads; a longer body
// is marked truncated, which denies MCP routes.
const DefaultHTTPMaxBody = 4 << 20

// HTTPOptions configure the HTTP authorization mode.
type HTTPOptions struct {
	Style          string         // StyleEnvoy, StyleNginx, StyleCaddy or StyleTraefik
	TrustedProxies []netip.Prefix // only these source addresses may ask
	MaxBodyBytes   int64          // Envoy style; 0 means DefaultHTTPMaxBody
	Logger         *slog.Logger
	// Registerer receives tollgate_http_refused_total; nil skips it.
	Registerer prometheus.Registerer
}

// HTTPHandler serves the HTTP authorization mode: 200 allows (with the
// x-spiffe-id and x-tollgate-decision-id headers for the upstream); any
// other status denies, with the same body as the gRPC mode.
type HTTPHandler struct {
	checker Checker
	opts    HTTPOptions
	metrics *httpMetrics
}

var _ http.Handler = (*HTTPHandler)(nil)

// NewHTTPHandler validates opts and returns the handler.
func NewHTTPHandler(checker Checker, opts HTTPOptions) (*HTTPHandler, error) {
	switch opts.Style {
	case StyleEnvoy, StyleNginx, StyleCaddy, StyleTraefik:
	default:
		return nil, fmt.Errorf("%w: %q", ErrStyle, opts.Style)
	}
	if len(opts.TrustedProxies) == 0 {
		return nil, ErrNoTrustedProxies
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultHTTPMaxBody
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	m, err := newHTTPMetrics(opts.Registerer)
	if err != nil {
		return nil, err
	}
	return &HTTPHandler{checker: checker, opts: opts, metrics: m}, nil
}

// ServeHTTP answers one check request.
func (h *HTTPHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hop, ok := h.trusted(r.RemoteAddr)
	if !ok {
		h.opts.Logger.Warn("HTTP check from an untrusted address refused", "remote", r.RemoteAddr)
		h.metrics.refused.WithLabelValues(refusedUntrustedProxy).Inc()
		writeJSON(w, http.StatusForbidden, errorBody(CodeUntrustedProxy, "the caller is not a trusted proxy"))
		return
	}
	f, err := forwarded(h.opts.Style, r)
	if err != nil {
		// The proxy config is wrong or a client got through: fail closed.
		h.opts.Logger.Warn("HTTP check with a bad forwarded request refused", "error", err)
		h.metrics.refused.WithLabelValues(refusedBadForwarded).Inc()
		writeJSON(w, http.StatusBadRequest, errorBody(refusedBadForwarded, err.Error()))
		return
	}
	req := h.toRequest(r, &f, hop)
	d := h.checker.Check(r.Context(), req)
	h.answer(w, &d)
}

func (h *HTTPHandler) trusted(remote string) (string, bool) {
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
func (h *HTTPHandler) toRequest(r *http.Request, f *forwardedRequest, hop string) *authz.Request {
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
	req.BodyTruncated = err != nil || int64(len(body)) > h.opts.MaxBodyBytes || partialBody(headers)
	return req
}

func (h *HTTPHandler) answer(w http.ResponseWriter, d *authz.Decision) {
	d = settled(d)
	if d.Allowed() {
		w.Header().Set(HeaderSPIFFEID, d.Identity.ID.String())
		w.Header().Set(HeaderDecisionID, d.ID)
		w.WriteHeader(http.StatusOK)
		return
	}
	status, body := h.denial(d)
	w.Header().Set(HeaderDecisionID, d.ID)
	w.Header().Set("X-Tollgate-Code", d.Code)
	if h.opts.Style == StyleNginx {
		w.Header().Set(HeaderDenyBody, string(body))
	}
	writeJSON(w, status, body)
}

// denial never answers 2xx: in the HTTP mode the status is the verdict.
// nginx honours only 401 and 403 (anything else becomes a 500), so the
// nginx style answers 401 or 403.
func (h *HTTPHandler) denial(d *authz.Decision) (int, []byte) {
	status := HTTPStatus(d.Outcome)
	if status < 300 {
		status = http.StatusForbidden
	}
	if h.opts.Style == StyleNginx && status != http.StatusUnauthorized {
		status = http.StatusForbidden
	}
	if d.MCP.JSONRPC() {
		return status, mcpErrorBody(d)
	}
	return status, DenyBody(d)
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
