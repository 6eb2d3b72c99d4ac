package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// edgeConfig is the core config with short listener limits and the HTTP
// mode (Envoy http_service style) on a second address.
const edgeConfig = `
listen:
  grpc: "{{GRPC}}"
  admin: "{{ADMIN}}"
  limits: { max_recv_bytes: 65536, max_concurrent_streams: 16, read_header_timeout: 200ms, read_timeout: 500ms }
http_authz: { listen: "{{HTTP}}", style: envoy, trusted_proxies: [127.0.0.1/32] }
identity:
  trust_domains: [example.org]
  bundles:
    - trust_domain: example.org
      x509_pem: bundle.pem
      jwks: jwks.json
  jwt: { audiences: [tollgate] }
policy: { dir: policies }
manifests: [manifest.yaml]
log: { decisions: "off" }
`

func startEdge(t *testing.T) (*harness.Proc, string) {
	t.Helper()
	dir := t.TempDir()
	testcaBundle(t, dir)
	harness.CopyDir(t, "testdata/policies", filepath.Join(dir, "policies"))
	b, err := os.ReadFile("testdata/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "manifest.yaml", b)
	httpAddr := harness.FreeAddr(t)
	p := harness.Start(t, dir, strings.Replace(edgeConfig, "{{HTTP}}", httpAddr, 1))
	p.WaitReady()
	return p, httpAddr
}

func rawHTTP(t *testing.T, addr, req string) (rawAnswer, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
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
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return rawAnswer{StatusCode: resp.StatusCode, Status: resp.Status, Header: resp.Header}, string(body)
}

// rawAnswer is the status line and headers of a response whose body was
// read and closed.
type rawAnswer struct {
	StatusCode int
	Status     string
	Header     http.Header
}

// The real binary applies listen.limits, never answers a denial with a
// 5xx on the HTTP mode, and answers a denial alike on both listeners.
func TestEdgeListeners(t *testing.T) {
	p, httpAddr := startEdge(t)

	t.Run("gRPC message over max_recv_bytes is refused", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := p.Client().Check(ctx, harness.NewCheck("POST", "/orders/1", harness.WithBody(make([]byte, 100<<10), true)))
		if status.Code(err) != codes.ResourceExhausted {
			t.Fatalf("err = %v, want ResourceExhausted", err)
		}
	})

	t.Run("denial agrees across listeners", func(t *testing.T) {
		g := harness.Summarise(p.Check(harness.NewCheck("GET", "/orders/1")))
		resp, body := rawHTTP(t, httpAddr, "GET /orders/1 HTTP/1.1\r\nHost: api\r\n\r\n")
		var gb, hb struct{ Reason string }
		_ = json.Unmarshal([]byte(g.Body), &gb)
		_ = json.Unmarshal([]byte(body), &hb)
		if g.Allow || g.HTTPStatus != resp.StatusCode || g.Headers["x-tollgate-code"] != resp.Header.Get("X-Tollgate-Code") ||
			gb.Reason == "" || gb.Reason != hb.Reason {
			t.Fatalf("gRPC %d %q %s, HTTP %d %q %s", g.HTTPStatus, g.Headers["x-tollgate-code"], g.Body,
				resp.StatusCode, resp.Header.Get("X-Tollgate-Code"), body)
		}
	})

	t.Run("HTTP mode never answers 5xx", func(t *testing.T) {
		for _, req := range []string{
			"POST /orders/1 HTTP/1.1\r\nHost: api\r\nTransfer-Encoding: gzip\r\n\r\n",
			"GET /orders/1 HTTP/3.0\r\nHost: api\r\n\r\n",
		} {
			resp, body := rawHTTP(t, httpAddr, req)
			if resp.StatusCode >= 500 || resp.StatusCode < 400 || resp.Header.Get("X-Tollgate-Code") == "" {
				t.Errorf("%q answered %s %s", req, resp.Status, body)
			}
		}
	})

	t.Run("slow clients are cut off", func(t *testing.T) {
		for _, addr := range []string{p.AdminAddr, httpAddr} {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: ")
			_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
			_, err = io.Copy(io.Discard, c)
			c.Close()
			if errors.Is(err, os.ErrDeadlineExceeded) {
				t.Errorf("%s: a slow client still holds the connection after 3s (read_header_timeout 200ms)", addr)
			}
		}
	})
}
