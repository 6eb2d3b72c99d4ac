package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/net/http2"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/tollgate-authz/tollgate/internal/config"
)

// shortLimits are limits small enough to observe in a test.
func shortLimits() config.Limits {
	l := config.DefaultLimits()
	l.ReadHeaderTimeout, l.ReadTimeout, l.WriteTimeout, l.IdleTimeout = 100*time.Millisecond, 300*time.Millisecond, time.Second, time.Second
	l.MaxRecvBytes, l.MaxConcurrentStreams, l.KeepaliveMinTime = 64<<10, 7, 200*time.Millisecond
	return l
}

// closedWithin reports whether the server closes c (after any answer)
// before wait passes.
func closedWithin(c net.Conn, wait time.Duration) bool {
	_ = c.SetReadDeadline(time.Now().Add(wait))
	_, err := io.Copy(io.Discard, c)
	return !errors.Is(err, os.ErrDeadlineExceeded)
}

// A client that sends its headers or body slowly is cut off by the
// configured timeouts, on the admin and the HTTP mode listeners.
func TestHTTPListenersCutSlowClients(t *testing.T) {
	l := shortLimits()
	adminLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	admin := newAdmin(adminLis, prometheus.NewRegistry(), func() error { return nil }, l, slog.New(slog.DiscardHandler), nil)
	go func() { _ = admin.serve() }()
	t.Cleanup(func() { _ = admin.srv.Close() })
	listeners := map[string]net.Addr{"admin": adminLis.Addr(), "http_authz": startHTTPModeLimits(t, "envoy", l).Addr()}
	slow := map[string]string{
		"headers": "GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: ",
		"body":    "POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n{\"a\":",
	}
	for lname, addr := range listeners {
		for sname, req := range slow {
			t.Run(lname+"/"+sname, func(t *testing.T) {
				c, err := net.Dial("tcp", addr.String())
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if _, err := io.WriteString(c, req); err != nil {
					t.Fatal(err)
				}
				if !closedWithin(c, 3*time.Second) {
					t.Fatal("a slow client still holds the connection after 3s (timeouts of 100-300ms configured)")
				}
			})
		}
	}
}

// startGRPC serves the ext_authz listener that newGRPC builds for limits.
func startGRPC(t *testing.T, l config.Limits) net.Addr {
	t.Helper()
	s := &Server{cfg: &config.Config{Listen: config.Listen{Limits: l}}, logger: slog.New(slog.DiscardHandler), parts: &parts{}}
	g, _ := s.newGRPC()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = g.Serve(lis) }()
	t.Cleanup(g.Stop)
	return lis.Addr()
}

// A CheckRequest over max_recv_bytes is refused before it is decoded.
func TestGRPCMaxRecvBytes(t *testing.T) {
	addr := startGRPC(t, shortLimits())
	conn, err := grpc.NewClient(addr.String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	big := &authv3.CheckRequest{Attributes: &authv3.AttributeContext{Request: &authv3.AttributeContext_Request{
		Http: &authv3.AttributeContext_HttpRequest{Method: "POST", Path: "/mcp", RawBody: make([]byte, 100<<10)}}}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = authv3.NewAuthorizationClient(conn).Check(ctx, big)
	if status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("a 100 KiB CheckRequest over a 64 KiB limit: err = %v, want ResourceExhausted", err)
	}
}

// h2conn is a raw HTTP/2 client connection, to see the server's settings
// and keepalive enforcement as Envoy does.
func h2conn(t *testing.T, addr net.Addr) (net.Conn, *http2.Framer) {
	t.Helper()
	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, http2.ClientPreface); err != nil {
		t.Fatal(err)
	}
	fr := http2.NewFramer(c, c)
	if err := fr.WriteSettings(); err != nil {
		t.Fatal(err)
	}
	return c, fr
}

// The server announces max_concurrent_streams in its SETTINGS.
func TestGRPCMaxConcurrentStreams(t *testing.T) {
	_, fr := h2conn(t, startGRPC(t, shortLimits()))
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			t.Fatal(err)
		}
		sf, ok := f.(*http2.SettingsFrame)
		if !ok || sf.IsAck() {
			continue
		}
		v, ok := sf.Value(http2.SettingMaxConcurrentStreams)
		if !ok || v != 7 {
			t.Fatalf("SETTINGS_MAX_CONCURRENT_STREAMS = %d (sent %v), want 7", v, ok)
		}
		return
	}
}

// pingsRefused sends n pings, gap apart, and reports whether the server
// answered with a GOAWAY for too many pings within a second after.
func pingsRefused(t *testing.T, c net.Conn, fr *http2.Framer, n int, gap time.Duration) bool {
	t.Helper()
	refused := make(chan bool, 1)
	go func() {
		for {
			f, err := fr.ReadFrame()
			if err != nil {
				refused <- false
				return
			}
			if g, ok := f.(*http2.GoAwayFrame); ok {
				refused <- g.ErrCode == http2.ErrCodeEnhanceYourCalm && strings.Contains(string(g.DebugData()), "too_many_pings")
				return
			}
		}
	}()
	for i := 0; i < n; i++ {
		if err := fr.WritePing(false, [8]byte{byte(i)}); err != nil {
			break // the server hung up
		}
		time.Sleep(gap)
	}
	_ = c.SetReadDeadline(time.Now().Add(time.Second))
	return <-refused
}

// Keepalive pings are enforced at keepalive_min_time: a client pinging
// no faster is kept, with or without a call in flight; one pinging in a
// burst is told to go away.
func TestGRPCKeepaliveEnforcement(t *testing.T) {
	addr := startGRPC(t, shortLimits())
	c, polite := h2conn(t, addr)
	if pingsRefused(t, c, polite, 4, 400*time.Millisecond) {
		t.Error("pings 400ms apart were refused with keepalive_min_time 200ms")
	}
	c, rude := h2conn(t, addr)
	if !pingsRefused(t, c, rude, 6, 0) {
		t.Error("a burst of pings was not refused")
	}
}
