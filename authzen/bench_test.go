package authzen

import (
	"bytes"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/jsonw"
	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/policy"
)

const quickstart = "../examples/quickstart/"

// cpuTime is the process's user+system CPU time in nanoseconds.
func cpuTime(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// benchEngine is an authz.Engine as tollgate serve builds it: quickstart
// policies, manifest and signals, registered metrics and a JSON decision
// log to io.Discard.
func benchEngine(b testing.TB, ca *testca.CA) *authz.Engine {
	b.Helper()
	reg := prometheus.NewRegistry()
	v, err := identity.NewVerifier(identity.Config{X509Bundles: ca.X509Bundle(), TrustDomains: []spiffeid.TrustDomain{ca.TrustDomain()}})
	if err != nil {
		b.Fatal(err)
	}
	snap, err := policy.LoadDir(quickstart+"policies", policy.Options{})
	if err != nil {
		b.Fatal(err)
	}
	store := policy.NewStore(nil)
	store.Swap(snap)
	m, err := manifest.Load(quickstart + "manifest.yaml")
	if err != nil {
		b.Fatal(err)
	}
	e, err := authz.NewEngine(authz.Config{Identifier: v, Policies: store, Manifest: m, Registerer: reg,
		Signals: []authz.Signal{
			{Name: "environment", From: authz.FromContextExtension, Key: "environment", Type: authz.TypeString},
			{Name: "tenant", From: authz.FromContextExtension, Key: "tenant", Type: authz.TypeString},
			{Name: "risk_score", From: authz.FromContextExtension, Key: "risk_score", Type: authz.TypeLong},
		},
		DecisionLog: slog.New(jsonw.NewHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// benchBody is the allowed request of the whole-server benchmarks, asked
// the AuthZEN way: the storefront reading order 42.
const benchBody = `{"subject":{"type":"Workload","id":"spiffe://example.org/ns/shop/sa/frontend"},
 "action":{"name":"ReadOrder","properties":{"method":"GET"}},"resource":{"type":"Order","id":"42"},
 "context":{"path":"/orders/42","host":"orders.internal","scheme":"https","tls":true,"environment":"prod"}}`

// noopHandler is the baseline: it reads the body and answers the
// specification's allow without looking, as a no-op PDP would.
var noopHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"decision":true}`))
})

// BenchmarkEvaluation is one HTTP request to response through the
// handler (no network, no TLS: the same for both), against the no-op
// handler in the same run; see docs/benchmarks.md.
func BenchmarkEvaluation(b *testing.B) {
	ca := testca.New(b, "example.org")
	h, err := NewHandler(benchEngine(b, ca), Options{PDP: "https://pdp.example.org",
		AllowedCallers: []spiffeid.ID{spiffeid.RequireFromString("spiffe://example.org" + pepPath)}})
	if err != nil {
		b.Fatal(err)
	}
	state := &tls.ConnectionState{HandshakeComplete: true, PeerCertificates: ca.NewX509SVID(pepPath).Chain()}
	batch := `{"subject":{"type":"Workload","id":"spiffe://example.org/ns/shop/sa/frontend"},"action":{"name":"ReadOrder"},"evaluations":[` +
		strings.TrimSuffix(strings.Repeat(`{"resource":{"type":"Order","id":"42"}},`, 10), ",") + `]}`
	for _, bc := range []struct {
		name, path, body string
		h                http.Handler
	}{
		{"noop", EvaluationPath, benchBody, noopHandler},
		{"authzen", EvaluationPath, benchBody, h},
		{"authzen-batch10", EvaluationsPath, batch, h},
	} {
		b.Run(bc.name, func(b *testing.B) {
			body := []byte(bc.body)
			b.ReportAllocs()
			start := cpuTime(b)
			for b.Loop() {
				r := httptest.NewRequest("POST", bc.path, bytes.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				r.TLS = state
				w := httptest.NewRecorder()
				bc.h.ServeHTTP(w, r)
				if w.Code != 200 || !bytes.Contains(w.Body.Bytes(), []byte(`"decision":true`)) {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
			// CPU time (user+system, all threads, GC included) per op: on a
			// shared, loaded machine it moves far less than ns/op.
			b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
		})
	}
}
