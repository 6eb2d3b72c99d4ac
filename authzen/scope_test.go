package authzen

import (
	"crypto/tls"
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/testca"
)

// TestHandlerSubjectScope: each evaluation carries the subject patterns of
// the enforcement point that asked, none for an unscoped one.
func TestHandlerSubjectScope(t *testing.T) {
	ca := testca.New(t, "example.org")
	scoped := spiffeid.RequireFromPath(ca.TrustDomain(), pepPath)
	free := spiffeid.RequireFromPath(ca.TrustDomain(), "/job-runner")
	shop, err := identity.ParseIDPattern("spiffe://example.org/ns/shop/*")
	if err != nil {
		t.Fatal(err)
	}
	ev := &fakeEvaluator{allow: map[string]bool{}}
	h, err := NewHandler(ev, Options{PDP: "https://pdp.example.org", AllowedCallers: []spiffeid.ID{scoped, free},
		Subjects: map[spiffeid.ID][]identity.IDPattern{scoped: {shop}}})
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{h: h, ca: ca, eval: ev}
	s.do(t, "POST", EvaluationsPath, pepPath, []byte(`{"evaluations":[`+tollgateShaped+`,`+tollgateShaped+`]}`))
	s.do(t, "POST", EvaluationPath, "/job-runner", []byte(tollgateShaped))
	if len(ev.asked) != 3 {
		t.Fatalf("asked %d", len(ev.asked))
	}
	for i, q := range ev.asked[:2] {
		if q.Caller != scoped || !slices.Equal(q.Subjects, []identity.IDPattern{shop}) {
			t.Errorf("evaluation %d: caller %v subjects %v", i, q.Caller, q.Subjects)
		}
	}
	if q := ev.asked[2]; q.Caller != free || q.Subjects != nil {
		t.Errorf("unscoped caller: %v subjects %v", q.Caller, q.Subjects)
	}
}

func TestNewHandlerSubjectsConfig(t *testing.T) {
	pep := spiffeid.RequireFromString("spiffe://example.org/pep")
	other := spiffeid.RequireFromString("spiffe://example.org/other")
	shop, _ := identity.ParseIDPattern("spiffe://example.org/ns/shop/*")
	for name, subjects := range map[string]map[spiffeid.ID][]identity.IDPattern{
		"not an allowed caller": {other: {shop}},
		"no patterns":           {pep: {}},
		"zero pattern":          {pep: {{}}},
	} {
		_, err := NewHandler(&fakeEvaluator{}, Options{PDP: "https://pdp.example.org", AllowedCallers: []spiffeid.ID{pep}, Subjects: subjects})
		if !errors.Is(err, ErrConfig) {
			t.Errorf("%s: want ErrConfig, got %v", name, err)
		}
	}
}

// TestHandlerTraceparent: the traceparent header reaches every evaluation
// of the request; a repeated header is passed joined, so it parses as
// nothing, as Envoy's joined header does.
func TestHandlerTraceparent(t *testing.T) {
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	s := newTestServer(t, "42")
	s.doType(t, "POST", EvaluationsPath, pepPath, []byte(`{"evaluations":[`+tollgateShaped+`,`+tollgateShaped+`]}`), "", "Traceparent", tp)
	r := httptest.NewRequest("POST", EvaluationPath, strings.NewReader(tollgateShaped))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Add("traceparent", tp)
	r.Header.Add("traceparent", tp)
	r.TLS = &tls.ConnectionState{HandshakeComplete: true, PeerCertificates: s.ca.NewX509SVID(pepPath).Chain()}
	s.h.ServeHTTP(httptest.NewRecorder(), r)
	if len(s.eval.asked) != 3 {
		t.Fatalf("asked %d", len(s.eval.asked))
	}
	for i, want := range []string{tp, tp, tp + "," + tp} {
		if got := s.eval.asked[i].TraceParent; got != want {
			t.Errorf("evaluation %d: traceparent %q, want %q", i, got, want)
		}
	}
}
