package server

import "testing"

// TestHTTPModeOptionsStarIsNotAnAllow: net/http answers "OPTIONS *" with
// 200 itself, before any handler runs, unless told not to. In the HTTP
// mode 200 is the allow: a check request nobody decided must be refused.
func TestHTTPModeOptionsStarIsNotAnAllow(t *testing.T) {
	for _, style := range []string{"envoy", "nginx", "caddy", "traefik"} {
		h := startHTTPMode(t, style)
		resp := rawExchange(t, h.Addr(), "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")
		if resp.StatusCode < 400 || resp.StatusCode >= 500 || resp.Header.Get("X-Tollgate-Code") == "" {
			t.Errorf("%s: OPTIONS * answered %s %v, want a 4xx refusal with X-Tollgate-Code", style, resp.Status, resp.Header)
		}
	}
}
