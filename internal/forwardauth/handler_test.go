package forwardauth

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/envoy"
)

func newHTTP(t *testing.T, style string, rec *recorder) *Handler {
	t.Helper()
	h, err := New(rec, Options{Style: style, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func checkReq(method, target, remote string, hdr map[string]string, body string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.RemoteAddr = remote
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	return r
}

func TestHTTPForwardedStyles(t *testing.T) {
	spoof := map[string]string{
		"X-Original-Uri": "/admin", "X-Original-Method": "DELETE",
		"X-Forwarded-Uri": "/admin", "X-Forwarded-Method": "DELETE",
	}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	tests := []struct {
		name, style, method, target string
		hdr                         map[string]string
		body                        string
		wantMethod, wantPath        string
		wantBody                    bool
	}{
		{"envoy ignores forwarded headers", StyleEnvoy, "POST", "/mcp?x=1", spoof, `{"a":1}`, "POST", "/mcp?x=1", true},
		{"nginx reads X-Original only", StyleNginx, "GET", "/auth", with(spoof, "X-Original-Uri", "/orders/1", "X-Original-Method", "GET"), "", "GET", "/orders/1", false},
		{"caddy reads X-Forwarded only", StyleCaddy, "GET", "/", with(spoof, "X-Forwarded-Uri", "/orders/2", "X-Forwarded-Method", "GET"), "", "GET", "/orders/2", false},
		{"traefik reads X-Forwarded", StyleTraefik, "GET", "/", with(spoof, "X-Forwarded-Uri", "/orders/3", "X-Forwarded-Method", "PUT"), "", "PUT", "/orders/3", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{Decision: allowDecision()}
			w := httptest.NewRecorder()
			newHTTP(t, tt.style, rec).ServeHTTP(w, checkReq(tt.method, tt.target, "10.1.2.3:5555", tt.hdr, tt.body))
			if w.Code != 200 || w.Header().Get(envoy.HeaderSPIFFEID) != "spiffe://example.org/web" || w.Header().Get(envoy.HeaderDecisionID) != "d-1" {
				t.Fatalf("allow answer: %d %v", w.Code, w.Header())
			}
			g := rec.Got
			if g.Method != tt.wantMethod || g.Path != tt.wantPath {
				t.Errorf("reconstructed %s %s, want %s %s", g.Method, g.Path, tt.wantMethod, tt.wantPath)
			}
			if g.Credentials.HopAddress != "10.1.2.3" {
				t.Errorf("hop address %q", g.Credentials.HopAddress)
			}
			if tt.wantBody != !g.BodyTruncated || (tt.wantBody && string(g.Body) != tt.body) {
				t.Errorf("body %q truncated=%v", g.Body, g.BodyTruncated)
			}
		})
	}
}

func TestHTTPRefusals(t *testing.T) {
	tests := []struct {
		name, style, remote string
		hdr                 map[string]string
		status              int
		code                string
	}{
		{"untrusted address", StyleCaddy, "127.0.0.2:4000", map[string]string{"X-Forwarded-Uri": "/", "X-Forwarded-Method": "GET"}, 403, CodeUntrustedProxy},
		{"unparsable remote", StyleCaddy, "nonsense", nil, 403, CodeUntrustedProxy},
		{"missing uri", StyleNginx, "10.0.0.1:1", map[string]string{"X-Original-Method": "GET"}, 400, "bad_forwarded_request"},
		{"absolute uri", StyleCaddy, "10.0.0.1:1", map[string]string{"X-Forwarded-Uri": "http://evil/", "X-Forwarded-Method": "GET"}, 400, "bad_forwarded_request"},
		{"lower-case method", StyleCaddy, "10.0.0.1:1", map[string]string{"X-Forwarded-Uri": "/", "X-Forwarded-Method": "get"}, 400, "bad_forwarded_request"},
		{"bad scheme", StyleCaddy, "10.0.0.1:1", map[string]string{"X-Forwarded-Uri": "/", "X-Forwarded-Method": "GET", "X-Forwarded-Proto": "gopher"}, 400, "bad_forwarded_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{Decision: allowDecision()}
			w := httptest.NewRecorder()
			newHTTP(t, tt.style, rec).ServeHTTP(w, checkReq("GET", "/", tt.remote, tt.hdr, ""))
			var body struct{ Code string }
			_ = json.Unmarshal(w.Body.Bytes(), &body)
			if w.Code != tt.status || body.Code != tt.code || w.Header().Get(envoy.HeaderCode) != tt.code || rec.Got != nil {
				t.Fatalf("got %d %s (checked=%v), want %d %s", w.Code, w.Body, rec.Got != nil, tt.status, tt.code)
			}
		})
	}
}

func TestHTTPRepeatedHeaderRefused(t *testing.T) {
	r := checkReq("GET", "/", "10.0.0.1:1", map[string]string{"X-Forwarded-Method": "GET", "X-Forwarded-Uri": "/a"}, "")
	r.Header.Add("X-Forwarded-Uri", "/b")
	rec := &recorder{Decision: allowDecision()}
	w := httptest.NewRecorder()
	newHTTP(t, StyleCaddy, rec).ServeHTTP(w, r)
	if w.Code != 400 || rec.Got != nil {
		t.Fatalf("got %d", w.Code)
	}
}

func TestHTTPDenials(t *testing.T) {
	mcpDeny := authz.Decision{ID: "d", Outcome: authz.Forbidden, Code: authz.CodeNoPermit, Detail: "batch element 1: no policy allows the request",
		MCP: &authz.MCPInfo{ID: "2", Batch: true, IDs: []string{"1", "2"}}}
	bad := authz.Decision{ID: "d", Outcome: authz.BadRequest, Code: authz.CodeMCPInvalidJSON, Detail: "invalid", MCP: &authz.MCPInfo{ID: "null", RPCCode: -32700}}
	tests := []struct {
		name, style string
		d           authz.Decision
		status      int
	}{
		{"envoy policy deny", StyleEnvoy, authz.Decision{ID: "d", Outcome: authz.Forbidden, Code: authz.CodeForbid}, 403},
		{"envoy unauthenticated", StyleEnvoy, authz.Decision{ID: "d", Outcome: authz.Unauthenticated, Code: authz.CodeIdentityMissing}, 401},
		{"envoy mcp batch never 200", StyleEnvoy, mcpDeny, 403},
		{"envoy bad body", StyleEnvoy, bad, 400},
		{"nginx bad body is 403", StyleNginx, bad, 403},
		{"nginx unavailable is 403", StyleNginx, authz.Decision{ID: "d", Outcome: authz.Unavailable, Code: authz.CodeNoSnapshot}, 403},
		{"caddy mcp deny", StyleCaddy, mcpDeny, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			newHTTP(t, tt.style, &recorder{Decision: tt.d}).ServeHTTP(w,
				checkReq("POST", "/mcp", "10.0.0.1:1", map[string]string{"X-Forwarded-Uri": "/mcp", "X-Forwarded-Method": "POST", "X-Original-Uri": "/mcp", "X-Original-Method": "POST"}, ""))
			if w.Code != tt.status || w.Header().Get("Content-Type") != "application/json" || w.Header().Get(envoy.HeaderDecisionID) != "d" {
				t.Fatalf("got %d %v", w.Code, w.Header())
			}
			if got := w.Header().Get(HeaderDenyBody); (tt.style == StyleNginx) != (got != "") || (got != "" && got != w.Body.String()) {
				t.Errorf("deny body header %q", got)
			}
			if tt.d.MCP == nil {
				return
			}
			if tt.d.MCP.Batch {
				var list []struct {
					ID    json.RawMessage
					Error struct{ Code int }
				}
				if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil || len(list) != 2 || string(list[1].ID) != "2" || list[0].Error.Code != -32001 {
					t.Fatalf("batch answer %s (%v)", w.Body, err)
				}
				return
			}
			var one struct{ Error struct{ Code int } }
			if err := json.Unmarshal(w.Body.Bytes(), &one); err != nil || one.Error.Code != tt.d.MCP.RPCCode {
				t.Fatalf("answer %s", w.Body)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New(&recorder{}, Options{Style: "haproxy", TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}); err == nil {
		t.Error("unknown style accepted")
	}
	if _, err := New(&recorder{}, Options{Style: StyleCaddy}); err != ErrNoTrustedProxies {
		t.Errorf("err = %v", err)
	}
}

// FuzzForwarded: whatever the headers, reconstruction either fails or
// yields an origin-form path, an upper-case method and http/https.
func FuzzForwarded(f *testing.F) {
	f.Add("caddy", "GET", "/orders/1", "example.org", "https", "1.2.3.4")
	f.Add("nginx", "POST", "/mcp?x=%2F", "", "", "")
	f.Add("traefik", "get", "http://evil/", "a b", "ftp", "x, 10.0.0.1")
	f.Fuzz(func(t *testing.T, style, method, uri, host, scheme, xff string) {
		r := httptest.NewRequest("GET", "/", nil)
		for _, h := range []string{"X-Original-", "X-Forwarded-"} {
			for k, v := range map[string]string{"Method": method, "Uri": uri, "Host": host, "Proto": scheme} {
				r.Header[h+k] = []string{v}
			}
		}
		r.Header["X-Forwarded-For"] = []string{xff}
		r.Header["X-Real-Ip"] = []string{xff}
		f, err := forwarded(style, r)
		if err != nil {
			return
		}
		if !strings.HasPrefix(f.uri, "/") || !isToken(f.method) || (f.scheme != "http" && f.scheme != "https") {
			t.Fatalf("accepted %+v", f)
		}
		if strings.ContainsAny(f.uri+f.host, " \r\n\t") {
			t.Fatalf("control characters accepted: %+v", f)
		}
		if f.client != "" {
			if _, err := netip.ParseAddr(f.client); err != nil {
				t.Fatalf("client %q", f.client)
			}
		}
	})
}

// Refusals never reach the engine, so they are counted on their own.
func TestHTTPRefusalsCounted(t *testing.T) {
	reg := prometheus.NewRegistry()
	h, err := New(&recorder{Decision: allowDecision()}, Options{
		Style: StyleCaddy, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	h.ServeHTTP(httptest.NewRecorder(), checkReq("GET", "/", "127.0.0.2:4000", nil, ""))
	h.ServeHTTP(httptest.NewRecorder(), checkReq("GET", "/", "10.0.0.1:1", map[string]string{"X-Forwarded-Method": "get"}, ""))
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "tollgate_http_refused_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			got[m.GetLabel()[0].GetValue()] = m.GetCounter().GetValue()
		}
	}
	if got[CodeUntrustedProxy] != 1 || got["bad_forwarded_request"] != 1 {
		t.Fatalf("tollgate_http_refused_total = %v", got)
	}
}

func TestHTTPAllowWithoutIdentityDenies(t *testing.T) {
	rec := &recorder{Decision: authz.Decision{ID: "d", Outcome: authz.Allow, Code: authz.CodePermit}}
	w := httptest.NewRecorder()
	newHTTP(t, StyleCaddy, rec).ServeHTTP(w, checkReq("GET", "/", "10.0.0.1:1",
		map[string]string{"X-Forwarded-Method": "GET", "X-Forwarded-Uri": "/"}, ""))
	if w.Code < 300 || w.Header().Get(envoy.HeaderSPIFFEID) != "" {
		t.Fatalf("allowed without an identity: %d %v", w.Code, w.Header())
	}
}
