package identity

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/internal/testutil"
)

// fakeClock is a settable clock for staleness tests.
type fakeClock struct{ now atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.now.Store(time.Now().UnixNano())
	return c
}

func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.now.Load()) }
func (c *fakeClock) Advance(d time.Duration) { c.now.Add(int64(d)) }

func TestWorkloadAPIStartFailures(t *testing.T) {
	silent := newFakeAgent(t)
	silent.start() // answers, but has no SVID for us
	tests := []struct {
		name   string
		socket string
		is     error
		names  string
	}{
		{"agent down", "unix://" + t.TempDir() + "/nothing.sock", ErrWorkloadAPI, "nothing.sock"},
		{"agent without an entry for us", silent.addr(), ErrWorkloadAPI, silent.path},
		{"not a unix URL", "/var/run/agent.sock", ErrInvalidConfig, "agent.sock"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			w, err := NewWorkloadAPI(context.Background(), WorkloadAPIConfig{Socket: tc.socket, StartTimeout: 300 * time.Millisecond, RetryInterval: 50 * time.Millisecond})
			if err == nil {
				w.Close()
				t.Fatal("want error")
			}
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.names) {
				t.Fatalf("err = %v, want %v naming %q", err, tc.is, tc.names)
			}
			if time.Since(start) > 5*time.Second {
				t.Fatalf("took %s, StartTimeout not honoured", time.Since(start))
			}
		})
	}
	t.Run("no socket anywhere", func(t *testing.T) {
		t.Setenv("SPIFFE_ENDPOINT_SOCKET", "")
		_, err := NewWorkloadAPI(context.Background(), WorkloadAPIConfig{})
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "SPIFFE_ENDPOINT_SOCKET") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestWorkloadAPIEndpointFromEnv(t *testing.T) {
	ca := testca.New(t, "example.org")
	agent := newFakeAgent(t)
	agent.set(ca.NewX509SVID("/tollgate"), ca)
	agent.start()
	t.Setenv("SPIFFE_ENDPOINT_SOCKET", agent.addr())
	w, err := NewWorkloadAPI(context.Background(), WorkloadAPIConfig{StartTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Ready(); err != nil {
		t.Fatal(err)
	}
}

// wlEnv is a Verifier fed by a WorkloadAPI source from a fake agent.
type wlEnv struct {
	ca, ca2 *testca.CA
	agent   *fakeAgent
	clock   *fakeClock
	reg     *prometheus.Registry
	w       *WorkloadAPI
	v       *Verifier
}

func newWLEnv(t *testing.T) *wlEnv {
	e := &wlEnv{ca: testca.New(t, "example.org"), ca2: testca.New(t, "example.org"), agent: newFakeAgent(t),
		clock: newFakeClock(), reg: prometheus.NewRegistry()}
	e.agent.set(e.ca.NewX509SVID("/tollgate"), e.ca)
	e.agent.start()
	w, err := NewWorkloadAPI(context.Background(), WorkloadAPIConfig{
		Socket: e.agent.addr(), StartTimeout: 5 * time.Second, MaxBundleAge: time.Minute,
		RetryInterval: 20 * time.Millisecond, Clock: e.clock.Now, Registerer: e.reg,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	e.w = w
	e.v, err = NewVerifier(Config{X509Bundles: w, JWTBundles: w, JWTAudiences: testAud,
		TrustDomains: []spiffeid.TrustDomain{e.ca.TrustDomain()}})
	if err != nil {
		t.Fatal(err)
	}
	w.OnChange(e.v.InvalidateCache)
	return e
}

func (e *wlEnv) verify(c Credentials) (Identity, error) { return e.v.Verify(context.Background(), c) }

func TestWorkloadAPIRotation(t *testing.T) {
	e := newWLEnv(t)
	if err := e.w.Ready(); err != nil {
		t.Fatalf("Ready after start: %v", err)
	}
	if svid, err := e.w.GetX509SVID(); err != nil || svid.ID.String() != "spiffe://example.org/tollgate" {
		t.Fatalf("own SVID = %v, %v", svid, err)
	}
	oldCert := Credentials{PeerCertificate: e.ca.NewX509SVID("/old").EnvoyLeaf()}
	oldJWT := Credentials{Authorization: "Bearer " + e.ca.NewJWTSVID("/old", testAud)}
	for _, c := range []Credentials{oldCert, oldJWT} {
		if _, err := e.verify(c); err != nil {
			t.Fatalf("before rotation: %v", err)
		}
	}
	// The agent rotates to a new CA (new X.509 root, new JWT key) and drops the old.
	e.agent.set(e.ca2.NewX509SVID("/tollgate"), e.ca2)
	testutil.Eventually(t, "new SVID", func() bool {
		s, _ := e.w.GetX509SVID()
		return s.Certificates[0].CheckSignatureFrom(e.ca2.Cert()) == nil
	})
	testutil.Eventually(t, "new JWT key", func() bool {
		b, err := e.w.GetJWTBundleForTrustDomain(e.ca.TrustDomain())
		if err != nil {
			return false
		}
		_, ok := b.FindJWTAuthority(e.ca2.JWTKeyID())
		return ok
	})
	tests := []struct {
		name string
		c    Credentials
		want want
	}{
		{"new CA's SVID", Credentials{PeerCertificate: e.ca2.NewX509SVID("/new").EnvoyLeaf()}, want{id: "spiffe://example.org/new", source: SourceX509}},
		{"new key's JWT", Credentials{Authorization: "Bearer " + e.ca2.NewJWTSVID("/new", testAud)}, want{id: "spiffe://example.org/new", source: SourceJWT}},
		{"cached old SVID is re-checked", oldCert, want{reason: ReasonBadSignature}},
		{"cached JWT with rotated-out key", oldJWT, want{reason: ReasonBadSignature, is: ErrBadSignature}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := e.verify(tc.c)
			tc.want.check(t, id, err)
		})
	}
}

func TestWorkloadAPIOutage(t *testing.T) {
	e := newWLEnv(t)
	cert := Credentials{PeerCertificate: e.ca.NewX509SVID("/svc").EnvoyLeaf()}
	e.agent.stop()
	// Make sure the outage was noticed before checking what survives it.
	testutil.Eventually(t, "watch error", func() bool { return e.w.lastErr.Load() != nil })
	e.v.InvalidateCache()
	if _, err := e.verify(cert); err != nil {
		t.Fatalf("last bundles must keep verifying: %v", err)
	}
	if err := e.w.Ready(); err != nil {
		t.Fatalf("Ready within MaxBundleAge: %v", err)
	}
	e.clock.Advance(2 * time.Minute)
	if err := e.w.Ready(); !errors.Is(err, ErrNotReady) || !strings.Contains(err.Error(), "max_bundle_age") {
		t.Fatalf("Ready after MaxBundleAge = %v, want ErrNotReady", err)
	}
	if age := testutil.MustValue(t, e.reg, "tollgate_identity_bundle_age_seconds", nil); age < 120 {
		t.Fatalf("bundle age = %v, want >= 120", age)
	}
	if _, err := e.verify(cert); err != nil {
		t.Fatalf("stale bundles still verify (readiness, not Verify, reports staleness): %v", err)
	}
	e.agent.start()
	testutil.Eventually(t, "reconnect", func() bool { return e.w.Ready() == nil })
}
