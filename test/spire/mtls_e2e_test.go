package spire

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/spiffetls/tlsconfig"
	"github.com/spiffe/go-spiffe/v2/svid/x509svid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

const (
	// tollgateID is Tollgate's own SVID (examples/spire/register.sh).
	tollgateID = "spiffe://example.org/tollgate"
	// intruderID is a second SPIRE workload, not in listen.mtls.
	intruderID = "spiffe://example.org/ns/shop/sa/intruder"
)

// TestMTLSListener: Tollgate's ext_authz listener requires mTLS
// (listen.mtls.allowed_ids: the frontend) and serves Tollgate's own SVID
// from the Workload API. The frontend's Checks get decisions; another SPIRE
// workload and a certificate from a foreign CA are refused in the TLS
// handshake; after Tollgate's SVID rotates, new connections still work.
func TestMTLSListener(t *testing.T) {
	s := startSPIREServer(t)
	s.registerEntry(intruderID, intruderBin)
	s.startAgent(s.joinToken())
	tg := startTollgate(t, s, mtlsListener)

	var first []result
	waitFor(t, "the workload's first SVID", 60*time.Second, func() (err error) {
		first, err = runWorkload(s, tg, "-mtls", tollgateID)
		return err
	}, s.server, s.agent)

	t.Run("allowed caller", func(t *testing.T) { assertMTLSDecisions(t, tg, first) })
	decided := settledLines(tg)
	t.Run("other SPIRE workload refused", func(t *testing.T) {
		var rs []result
		waitFor(t, "the intruder's SVID", 60*time.Second, func() (err error) {
			rs, err = runBin(intruderBin, s, tg, "-mtls", tollgateID)
			return err
		}, s.server, s.agent)
		if len(rs) != 1 || rs[0].ID != intruderID {
			t.Fatalf("want one refused Check from %s, got %+v", intruderID, rs)
		}
		assertRefused(t, rs[0].GRPCCode, rs[0].Error, rs[0].Status)
	})
	t.Run("foreign CA refused", func(t *testing.T) {
		err := checkWithForeignCA(t, s, tg)
		assertRefused(t, status.Code(err).String(), fmt.Sprint(err), 0)
	})
	if n := settledLines(tg); n != decided {
		t.Errorf("refused callers reached the engine: %d decision lines, want %d:\n%s", n, decided, tg.Stdout.String())
	}
	t.Run("server SVID rotation", func(t *testing.T) { assertServerRotation(t, s, tg, first[0].ServerSerial) })
}

// decisionLines counts the decision log lines Tollgate wrote.
func decisionLines(tg *tollgate) int { return strings.Count(tg.Stdout.String(), "\n") }

// settledLines counts decision lines once the count stops changing: lines
// reach the test through a pipe, a moment after the Check was answered.
func settledLines(tg *tollgate) int {
	n, same := decisionLines(tg), 0
	for same < 3 {
		time.Sleep(100 * time.Millisecond)
		if m := decisionLines(tg); m == n {
			same++
		} else {
			n, same = m, 0
		}
	}
	return n
}

// assertMTLSDecisions is assertDecisions over mTLS: the server presented
// Tollgate's SVID, the same one for every Check of the run.
func assertMTLSDecisions(t *testing.T, tg *tollgate, rs []result) {
	t.Helper()
	if assertDecisions(t, tg, rs); t.Failed() {
		t.FailNow()
	}
	for _, r := range rs {
		if r.ServerID != tollgateID || r.ServerSerial == "" || r.ServerSerial != rs[0].ServerSerial {
			t.Fatalf("%s %s via %s: server %q serial %q, want %s serial %s",
				r.Method, r.Path, r.Mode, r.ServerID, r.ServerSerial, tollgateID, rs[0].ServerSerial)
		}
	}
}

// assertRefused checks that a Check failed at the transport: gRPC
// Unavailable and no CheckResponse (a denial would be a CheckResponse).
func assertRefused(t *testing.T, code, msg string, httpStatus int) {
	t.Helper()
	t.Logf("refused: %s: %s", code, msg)
	if code != codes.Unavailable.String() || msg == "" || httpStatus != 0 {
		t.Errorf("want a transport error (Unavailable, no CheckResponse), got code %s status %d: %s", code, httpStatus, msg)
	}
}

// assertServerRotation connects again and again (each workload run is a new
// process, so a new connection and handshake) until Tollgate presents a
// server SVID with another serial; every run must still be decided.
func assertServerRotation(t *testing.T, s *spire, tg *tollgate, serial string) {
	var rotated string
	waitFor(t, "Tollgate's server SVID to rotate", 60*time.Second, func() error {
		rs := mustRunWorkload(t, s, tg, "-mtls", tollgateID)
		assertMTLSDecisions(t, tg, rs)
		if rotated = rs[0].ServerSerial; rotated == serial {
			return fmt.Errorf("server serial still %s", serial)
		}
		return nil
	}, s.server, s.agent)
	t.Logf("Tollgate's server SVID rotated: serial %s -> %s", serial, rotated)
	assertMTLSDecisions(t, tg, mustRunWorkload(t, s, tg, "-mtls", tollgateID))
}

// checkWithForeignCA calls Check over mTLS from this process with an
// X.509-SVID for the allowed frontend ID, minted by a CA SPIRE never
// heard of, while trusting SPIRE's bundle for the server. It returns the
// Check's error.
func checkWithForeignCA(t *testing.T, s *spire, tg *tollgate) error {
	t.Helper()
	fake := testca.New(t, "example.org").NewX509SVID("/ns/shop/sa/frontend")
	svid := &x509svid.SVID{ID: fake.ID, Certificates: fake.Chain(), PrivateKey: fake.Key}
	pem, err := s.serverCmd("bundle", "show")
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := x509bundle.Parse(spiffeid.RequireTrustDomainFromString("example.org"), []byte(pem))
	if err != nil {
		t.Fatal(err)
	}
	tc := tlsconfig.MTLSClientConfig(svid, bundle, tlsconfig.AuthorizeID(spiffeid.RequireFromString(tollgateID)))
	conn, err := grpc.NewClient(tg.GRPCAddr, grpc.WithTransportCredentials(credentials.NewTLS(tc)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := authv3.NewAuthorizationClient(conn).Check(ctx, harness.NewCheck("GET", "/orders/42",
		harness.WithCert(fake.EnvoyLeaf())))
	if err == nil {
		t.Fatalf("Check with a foreign CA's certificate answered %+v, want a refused handshake", harness.Summarise(resp))
	}
	return err
}
