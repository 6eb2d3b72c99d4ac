package server

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/internal/config"
)

// denyAll is a Checker that denies everything.
type denyAll struct{}

func (denyAll) Check(context.Context, *authz.Request) authz.Decision {
	return authz.Decision{ID: "d", Outcome: authz.Forbidden, Code: authz.CodeNoPermit}
}

func startHTTPMode(t *testing.T, style string) *httpMode {
	return startHTTPModeLimits(t, style, config.DefaultLimits())
}

func startHTTPModeLimits(t *testing.T, style string, limits config.Limits) *httpMode {
	t.Helper()
	h, err := newHTTPMode(config.HTTPMode{Listen: "127.0.0.1:0", Style: style, TrustedProxies: []string{"127.0.0.0/8"}},
		limits, denyAll{}, slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = h.serve() }()
	t.Cleanup(func() { _ = h.close() })
	return h
}

// rawExchange writes req on a fresh connection and reads one response.
func rawExchange(t *testing.T, addr net.Addr, req string) *http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// net/http answers some malformed requests itself, before any handler
// runs (501 for an unknown Transfer-Encoding, 505 for an HTTP version it
// does not serve). The HTTP mode never lets a 5xx out: a proxy set to fail
// open would read it as an allow.
func TestHTTPModeNever5xxBeforeHandler(t *testing.T) {
	tests := map[string]string{
		"unknown transfer-encoding": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
		"unsupported version":       "GET / HTTP/3.0\r\nHost: a\r\n\r\n",
		"headers over the limit":    "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + strings.Repeat("a", 160<<10) + "\r\n\r\n",
	}
	for _, style := range []string{"envoy", "nginx"} {
		h := startHTTPMode(t, style)
		for name, req := range tests {
			t.Run(style+"/"+name, func(t *testing.T) {
				resp := rawExchange(t, h.Addr(), req)
				want := http.StatusBadRequest
				if style == "nginx" {
					want = http.StatusForbidden
				}
				if resp.StatusCode != want || resp.Header.Get("X-Tollgate-Code") != "bad_request" {
					t.Fatalf("answered %s %v, want %d with X-Tollgate-Code bad_request", resp.Status, resp.Header, want)
				}
			})
		}
		// The guard leaves a normal answer alone.
		resp := rawExchange(t, h.Addr(), "GET /orders/1 HTTP/1.1\r\nHost: a\r\nX-Original-Method: GET\r\nX-Original-Uri: /o\r\n\r\n")
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(resp.Header.Get("X-Tollgate-Code"), "no_permit") {
			t.Fatalf("%s: normal denial answered %s %v", style, resp.Status, resp.Header)
		}
	}
}
