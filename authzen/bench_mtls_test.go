package authzen

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/spiffetls/tlsconfig"
	"github.com/spiffe/go-spiffe/v2/svid/x509svid"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

// staticSVID is an x509svid.Source with one SVID.
type staticSVID struct{ s *x509svid.SVID }

func (s staticSVID) GetX509SVID() (*x509svid.SVID, error) { return s.s, nil }

func svidOf(ca *testca.CA, path string) *x509svid.SVID {
	t := ca.NewX509SVID(path)
	return &x509svid.SVID{ID: t.ID, Certificates: t.Chain(), PrivateKey: t.Key}
}

// BenchmarkEvaluationMTLS is the whole HTTP path on loopback: a real
// net/http server on the listener's TLS (TLSConfig: server SVID, client
// SVID verified and authorized), keep-alive mTLS clients, for the no-op
// handler and the AuthZEN handler on the real engine, in the same run.
// Client and server share the process, so cpu-ns/op counts both.
func BenchmarkEvaluationMTLS(b *testing.B) {
	ca := testca.New(b, "example.org")
	pep := spiffeid.RequireFromString("spiffe://example.org" + pepPath)
	h, err := NewHandler(benchEngine(b, ca), Options{PDP: "https://pdp.example.org", AllowedCallers: []spiffeid.ID{pep}})
	if err != nil {
		b.Fatal(err)
	}
	serverTLS := TLSConfig(staticSVID{svidOf(ca, "/tollgate")}, ca.X509Bundle(), []spiffeid.ID{pep})
	clientTLS := tlsconfig.MTLSClientConfig(staticSVID{svidOf(ca, pepPath)}, ca.X509Bundle(),
		tlsconfig.AuthorizeID(spiffeid.RequireFromString("spiffe://example.org/tollgate")))
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{{"noop", noopHandler}, {"authzen", h}} {
		b.Run(bc.name, func(b *testing.B) {
			lis, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			srv := &http.Server{Handler: bc.h, ReadHeaderTimeout: 5 * time.Second}
			go func() { _ = srv.Serve(tls.NewListener(lis, serverTLS)) }()
			defer srv.Close()
			url := "https://" + lis.Addr().String() + EvaluationPath
			client := &http.Client{Transport: &http.Transport{TLSClientConfig: clientTLS, MaxIdleConnsPerHost: 16}}
			body := []byte(benchBody)
			b.ReportAllocs()
			b.SetParallelism(4)
			start := cpuTime(b)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					out, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 || !bytes.Contains(out, []byte(`"decision":true`)) {
						b.Errorf("%d %s", resp.StatusCode, out)
						return
					}
				}
			})
			b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
		})
	}
}
