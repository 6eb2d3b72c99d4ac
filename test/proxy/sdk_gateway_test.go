package proxy_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// envoyGateway stands where Envoy does in examples/mcp: for each HTTP
// request it sends Tollgate the CheckRequest Envoy's ext_authz filter
// would (with_request_body, pack_as_bytes), then forwards an allowed
// request upstream or answers with Tollgate's denial as Envoy does.
type envoyGateway struct {
	authzHalf
	t        *testing.T
	upstream *httputil.ReverseProxy
}

// authzHalf is what both test gateways do first, as Envoy's ext_authz
// filter does: ask Tollgate about the request (body included), record
// the decision, and answer a denial as Tollgate wrote it.
type authzHalf struct {
	p    *harness.Proc
	mu   sync.Mutex
	seen []gatewayDecision
}

// authorize reads the request body and decides it. On an allow it sets
// the headers Tollgate adds and returns the body for the upstream; on a
// denial it has answered w and reports false.
func (a *authzHalf) authorize(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return nil, false
	}
	v := harness.Summarise(a.p.Check(envoyCheckRequest(r, body)))
	a.mu.Lock()
	a.seen = append(a.seen, gatewayDecision{method: r.Method, mcpMethod: bodyMethod(r, body), code: v.Code, allow: v.Allow, status: v.HTTPStatus})
	a.mu.Unlock()
	if !v.Allow {
		for k, val := range v.Headers {
			w.Header().Set(k, val)
		}
		w.WriteHeader(v.HTTPStatus)
		_, _ = io.WriteString(w, v.Body)
		return nil, false
	}
	for k, val := range v.Headers {
		r.Header.Set(k, val)
	}
	return body, true
}

// decisions returns what the gateway has asked so far.
func (a *authzHalf) decisions() []gatewayDecision {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]gatewayDecision(nil), a.seen...)
}

// gatewayDecision is one ext_authz decision the gateway asked for.
type gatewayDecision struct {
	method, mcpMethod, code string
	allow                   bool
	status                  int
}

func newEnvoyGateway(t *testing.T, p *harness.Proc, upstream string) *envoyGateway {
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.FlushInterval = -1 // the SSE stream
	return &envoyGateway{authzHalf: authzHalf{p: p}, t: t, upstream: rp}
}

func (g *envoyGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, ok := g.authorize(w, r)
	if !ok {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	g.upstream.ServeHTTP(w, r)
}

// envoyCheckRequest is the CheckRequest Envoy builds: lower-cased header
// names with the pseudo-headers, repeated headers comma-joined, and the
// body as raw_body.
func envoyCheckRequest(r *http.Request, body []byte) *authv3.CheckRequest {
	path := r.URL.RequestURI()
	headers := map[string]string{":method": r.Method, ":path": path, ":authority": r.Host, ":scheme": "https",
		"x-forwarded-proto": "https", "x-request-id": "req-" + strconv.Itoa(len(body))}
	for k, vs := range r.Header {
		headers[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	if len(body) > 0 || r.ContentLength >= 0 && r.Method != http.MethodGet {
		headers["content-length"] = strconv.Itoa(len(body))
	}
	return &authv3.CheckRequest{Attributes: &authv3.AttributeContext{
		Source: &authv3.AttributeContext_Peer{Address: &corev3.Address{Address: &corev3.Address_SocketAddress{
			SocketAddress: &corev3.SocketAddress{Address: "10.1.2.3", PortSpecifier: &corev3.SocketAddress_PortValue{PortValue: 51000}},
		}}},
		Request: &authv3.AttributeContext_Request{Http: &authv3.AttributeContext_HttpRequest{
			Id: headers["x-request-id"], Method: r.Method, Path: path, Host: r.Host, Scheme: "https", Protocol: "HTTP/1.1",
			Headers: headers, RawBody: body, Size: int64(len(body)),
		}},
	}}
}

// bodyMethod names a request for the test's report: the HTTP method of a
// GET or DELETE, the Mcp-Method header or a short prefix of the body.
func bodyMethod(r *http.Request, body []byte) string {
	if m := r.Header.Get("Mcp-Method"); m != "" {
		return m
	}
	if len(body) > 80 {
		body = body[:80]
	}
	return string(body)
}
