package authzen

import (
	"bytes"
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/testca"
)

const pepPath = "/mcp-gateway"

// fakeEvaluator allows a query whose resource id is in allow, and records
// every query it was asked.
type fakeEvaluator struct {
	allow map[string]bool
	mu    sync.Mutex
	asked []authz.Query
}

func (f *fakeEvaluator) Evaluate(_ context.Context, q *authz.Query) authz.Decision {
	f.mu.Lock()
	f.asked = append(f.asked, *q)
	f.mu.Unlock()
	d := authz.Decision{ID: "d-" + q.Resource.ID, Outcome: authz.Forbidden, Code: "no_permit", Reason: "no policy allows the request"}
	if f.allow[q.Resource.ID] {
		d = authz.Decision{ID: "d-" + q.Resource.ID, Outcome: authz.Allow, Code: "permit", Reason: "allowed by policy",
			Identity: &identity.Identity{ID: spiffeid.RequireFromString("spiffe://example.org/x")}, Policies: []string{"p1"}}
	}
	return d
}

func spec(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/spec/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testServer is a Handler behind httptest's TLS, with a certificate
// chain from the test CA standing in for what the listener verified.
type testServer struct {
	h    *Handler
	ca   *testca.CA
	eval *fakeEvaluator
}

func newTestServer(t *testing.T, allow ...string) *testServer {
	ca := testca.New(t, "example.org")
	ev := &fakeEvaluator{allow: map[string]bool{}}
	for _, a := range allow {
		ev.allow[a] = true
	}
	h, err := NewHandler(ev, Options{PDP: "https://pdp.example.org", AllowedCallers: []spiffeid.ID{spiffeid.RequireFromPath(ca.TrustDomain(), pepPath)}})
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{h: h, ca: ca, eval: ev}
}

// do sends a request as the workload at path (none: no client certificate).
func (s *testServer) do(t *testing.T, method, target, path string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	return s.doType(t, method, target, path, body, "")
}

// doType is do with a Content-Type (default application/json) and extra
// header name/value pairs.
func (s *testServer) doType(t *testing.T, method, target, path string, body []byte, ctype string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	if ctype == "" {
		ctype = "application/json"
	}
	if ctype != "none" {
		r.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	if path != "" {
		svid := s.ca.NewX509SVID(path)
		r.TLS = &tls.ConnectionState{HandshakeComplete: true, PeerCertificates: svid.Chain()}
	}
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	return w
}

var _ http.Handler = (*Handler)(nil)
