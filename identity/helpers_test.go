package identity

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/internal/testutil"
)

var testAud = []string{"tollgate"}

// env is a verifier wired to a test CA for example.org. other.org has
// bundles but is not trusted; nobundle.org is trusted but has no bundles.
type env struct {
	ca, other *testca.CA
	x509      *x509bundle.Set
	jwt       *jwtbundle.Set
	reg       *prometheus.Registry
	now       atomic.Pointer[time.Time]
	v         *Verifier
}

func newEnv(t testing.TB, mutate func(*Config)) *env {
	t.Helper()
	e := &env{ca: testca.New(t, "example.org"), other: testca.New(t, "other.org"), reg: prometheus.NewRegistry()}
	e.x509 = x509bundle.NewSet(e.ca.X509Bundle(), e.other.X509Bundle())
	e.jwt = jwtbundle.NewSet(e.ca.JWTBundle(), e.other.JWTBundle())
	cfg := Config{
		X509Bundles:  e.x509,
		JWTBundles:   e.jwt,
		TrustDomains: []spiffeid.TrustDomain{e.ca.TrustDomain(), spiffeid.RequireTrustDomainFromString("nobundle.org")},
		JWTAudiences: testAud,
		Clock:        e.clock,
		Registerer:   e.reg,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	v, err := NewVerifier(cfg)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	e.v = v
	return e
}

// clock returns the pinned time, or the wall clock when none is pinned.
func (e *env) clock() time.Time {
	if p := e.now.Load(); p != nil {
		return *p
	}
	return time.Now()
}

func (e *env) setNow(t time.Time) { e.now.Store(&t) }

// want is an expected outcome: an ID (success) or a reason (failure).
type want struct {
	id     string
	source Source
	reason Reason
	is     error
}

func (w want) check(t *testing.T, id Identity, err error) {
	t.Helper()
	if w.reason != "" {
		var ie *Error
		if !errors.As(err, &ie) {
			t.Fatalf("err = %v (%T), want *Error with reason %q", err, err, w.reason)
		}
		if ie.Reason != w.reason {
			t.Fatalf("reason = %q (%v), want %q", ie.Reason, err, w.reason)
		}
		if w.is != nil && !errors.Is(err, w.is) {
			t.Fatalf("err = %v, want errors.Is %v", err, w.is)
		}
		if id.ID != (spiffeid.ID{}) {
			t.Fatalf("failure returned identity %v", id.ID)
		}
		return
	}
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if id.ID.String() != w.id || id.Source != w.source {
		t.Fatalf("got %v from %q, want %s from %q", id.ID, id.Source, w.id, w.source)
	}
}

func (e *env) verify(c Credentials) (Identity, error) {
	return e.v.Verify(context.Background(), c)
}

// counter returns the value of a tollgate_identity_* counter series.
func (e *env) counter(t *testing.T, name string, labels map[string]string) float64 {
	t.Helper()
	return testutil.MustValue(t, e.reg, name, labels)
}

// bundleSetSource serves a fixed x509bundle.Set and no JWT bundles.
type bundleSetSource struct{ *x509bundle.Set }

func (bundleSetSource) GetJWTBundleForTrustDomain(td spiffeid.TrustDomain) (*jwtbundle.Bundle, error) {
	return nil, ErrNoBundle
}
