package forwardauth

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// HTTP authorization styles: which proxy calls the HTTP mode, and so which
// headers carry the original request. Only the configured style's headers
// are ever read, so a client cannot pick the header Tollgate believes.
const (
	// StyleEnvoy is Envoy's ext_authz http_service: the check request is
	// the original request (method, path, headers, optionally the body).
	StyleEnvoy = "envoy"
	// StyleNginx is nginx auth_request: X-Original-Method and
	// X-Original-URI, set by the nginx config; no body.
	StyleNginx = "nginx"
	// StyleCaddy is Caddy forward_auth: X-Forwarded-Method,
	// X-Forwarded-Uri, X-Forwarded-Host, X-Forwarded-Proto; no body.
	StyleCaddy = "caddy"
	// StyleTraefik is Traefik ForwardAuth, with the same headers as Caddy.
	StyleTraefik = "traefik"
)

// ErrForwarded is a check request whose original-request headers are
// missing, repeated or malformed.
var ErrForwarded = errors.New("forwardauth: bad forwarded request")

// maxForwardedURI bounds the original request target.
const maxForwardedURI = 8192

// forwardedRequest is the original request as the proxy describes it.
type forwardedRequest struct {
	method, uri, host, scheme, client string
	hasBody                           bool // the check request carries the original body
}

// styleHeaders names the headers a forward-auth style reads.
type styleHeaders struct{ method, uri, host, scheme, client string }

func headersOf(style string) (styleHeaders, bool) {
	switch style {
	case StyleNginx:
		return styleHeaders{"X-Original-Method", "X-Original-Uri", "X-Original-Host", "X-Original-Proto", "X-Real-Ip"}, true
	case StyleCaddy, StyleTraefik:
		return styleHeaders{"X-Forwarded-Method", "X-Forwarded-Uri", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-For"}, true
	}
	return styleHeaders{}, false
}

// forwarded reconstructs the original request from a check request.
func forwarded(style string, r *http.Request) (forwardedRequest, error) {
	if style == StyleEnvoy {
		f := forwardedRequest{method: r.Method, uri: r.RequestURI, host: r.Host, hasBody: true}
		scheme, err := optionalHeader(r.Header, "X-Forwarded-Proto")
		if err != nil {
			return f, err
		}
		f.scheme, f.client = scheme, lastForwardedFor(r.Header)
		return f, checkForwarded(&f)
	}
	h, ok := headersOf(style)
	if !ok {
		return forwardedRequest{}, fmt.Errorf("%w: unknown style %q", ErrForwarded, style)
	}
	var f forwardedRequest
	var err error
	if f.method, err = requiredHeader(r.Header, h.method); err != nil {
		return f, err
	}
	if f.uri, err = requiredHeader(r.Header, h.uri); err != nil {
		return f, err
	}
	if f.host, err = optionalHeader(r.Header, h.host); err != nil {
		return f, err
	}
	if f.host == "" {
		f.host = r.Host
	}
	if f.scheme, err = optionalHeader(r.Header, h.scheme); err != nil {
		return f, err
	}
	f.client = clientAddress(r.Header, h.client)
	return f, checkForwarded(&f)
}

func requiredHeader(h http.Header, name string) (string, error) {
	v, err := optionalHeader(h, name)
	if err == nil && v == "" {
		err = fmt.Errorf("%w: missing %s", ErrForwarded, name)
	}
	return v, err
}

// optionalHeader returns the single value of a header; a repeated header is
// ambiguous and refused.
func optionalHeader(h http.Header, name string) (string, error) {
	vs := h.Values(name)
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", fmt.Errorf("%w: %s is repeated", ErrForwarded, name)
}

func checkForwarded(f *forwardedRequest) error {
	switch {
	case !isToken(f.method):
		return fmt.Errorf("%w: method is not an upper-case token", ErrForwarded)
	case len(f.uri) > maxForwardedURI || !strings.HasPrefix(f.uri, "/") || strings.ContainsFunc(f.uri, badURIRune):
		return fmt.Errorf("%w: request target must be an origin-form path", ErrForwarded)
	case len(f.host) > 255 || strings.ContainsFunc(f.host, badHostRune):
		return fmt.Errorf("%w: bad host", ErrForwarded)
	}
	switch strings.ToLower(f.scheme) {
	case "":
		f.scheme = "http"
	case "http", "https":
		f.scheme = strings.ToLower(f.scheme)
	default:
		return fmt.Errorf("%w: scheme must be http or https", ErrForwarded)
	}
	return nil
}

// isToken is the manifests' and the engine's method rule, checked here
// too so that a bad forwarded method is refused as a bad forwarded request.
func isToken(m string) bool { return manifest.IsMethodToken(m) }

func badURIRune(r rune) bool { return r <= ' ' || r == 0x7f || r > 0x7e }
func badHostRune(r rune) bool {
	return r <= ' ' || r == 0x7f || r > 0x7e || strings.ContainsRune("/?#@\\", r)
}

// clientAddress reads the downstream client's IP from the style's header:
// X-Real-Ip (one address) or the last X-Forwarded-For element, the one
// the trusted proxy itself appended.
func clientAddress(h http.Header, name string) string {
	if name == "X-Forwarded-For" {
		return lastForwardedFor(h)
	}
	v, err := optionalHeader(h, name)
	if err != nil {
		return ""
	}
	return parseIP(v)
}

func lastForwardedFor(h http.Header) string {
	vs := h.Values("X-Forwarded-For")
	if len(vs) == 0 {
		return ""
	}
	last := vs[len(vs)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	return parseIP(last)
}

func parseIP(s string) string {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return a.Unmap().String()
}
