package authzen

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/spiffetls/tlsconfig"
	"github.com/spiffe/go-spiffe/v2/svid/x509svid"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/internal/testutil"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

const (
	tollgateID = "spiffe://example.org/tollgate"
	gatewayID  = "spiffe://example.org/ns/mcp/sa/gateway" // the allowed enforcement point
)

const config = `
listen:
  grpc: {{GRPC}}
  admin: {{ADMIN}}
identity:
  trust_domains: [example.org]
  workload_api: { socket: %s, start_timeout: 10s }
policy:
  dir: policies
manifests: [manifest.yaml]
authzen:
  listen: %s
  allowed_callers: [` + gatewayID + `]
  policy_decision_point: https://%s
`

// door is a running tollgate with the AuthZEN listener at addr.
type door struct {
	p    *harness.Proc
	addr string
	ca   *testca.CA
}

func startDoor(t *testing.T) *door {
	ca := testca.New(t, "example.org")
	wl := harness.StartWorkloadAPI(t, ca.NewX509SVID("/tollgate"), ca)
	dir := t.TempDir()
	harness.CopyDir(t, "testdata", dir)
	harness.CopyDir(t, "testdata/policies", dir+"/policies")
	addr := harness.FreeAddr(t)
	p := harness.Start(t, dir, fmt.Sprintf(config, wl.Addr, addr, addr))
	p.WaitReady()
	return &door{p: p, addr: addr, ca: ca}
}

// client is an HTTPS client presenting svid and expecting Tollgate's SVID.
func (d *door) client(svid *x509svid.SVID, bundle *x509bundle.Bundle) *http.Client {
	tc := tlsconfig.MTLSClientConfig(svid, bundle, tlsconfig.AuthorizeID(spiffeid.RequireFromString(tollgateID)))
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: tc}}
}

func (d *door) svid(ca *testca.CA, path string) *x509svid.SVID {
	s := ca.NewX509SVID(path)
	return &x509svid.SVID{ID: s.ID, Certificates: s.Chain(), PrivateKey: s.Key}
}

func post(c *http.Client, url, body string) (int, []byte, error) {
	req, _ := http.NewRequestWithContext(context.Background(), "POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-ID", "e2e-1")
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.Header.Get("X-Request-ID") != "e2e-1" {
		return resp.StatusCode, b, fmt.Errorf("X-Request-ID not echoed: %v", resp.Header)
	}
	return resp.StatusCode, b, err
}

// TestAuthZENOverMTLS: the allowed enforcement point, with a real
// X.509-SVID from the test CA, gets the metadata and decisions from the
// same policies the Envoy door uses; each decision is a decision line
// naming the enforcement point and is counted in tollgate_decisions_total.
func TestAuthZENOverMTLS(t *testing.T) {
	d := startDoor(t)
	gw := d.client(d.svid(d.ca, "/ns/mcp/sa/gateway"), d.ca.X509Bundle())
	base := "https://" + d.addr

	resp, err := gw.Get(base + "/.well-known/authzen-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var md map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&md); err != nil || resp.StatusCode != 200 ||
		md["access_evaluation_endpoint"] != base+"/access/v1/evaluation" || md["policy_decision_point"] != base {
		t.Fatalf("metadata %d %v %v", resp.StatusCode, md, err)
	}
	resp.Body.Close()

	tests := []struct {
		name, body string
		want       bool
		code       string
	}{
		{"permitted", `{"subject":{"type":"Workload","id":"spiffe://example.org/ns/shop/sa/frontend"},
		  "action":{"name":"ReadOrder","properties":{"method":"GET"}},"resource":{"type":"Order","id":"42"}}`, true, "permit"},
		{"forbidden", `{"subject":{"type":"Workload","id":"spiffe://example.org/ns/shop/sa/frontend"},
		  "action":{"name":"ReadOrder","properties":{"method":"GET"}},"resource":{"type":"Order","id":"13"}}`, false, "forbid"},
		{"not in the manifests' shape", `{"subject":{"type":"user","id":"alice@example.com"},
		  "action":{"name":"can_read"},"resource":{"type":"account","id":"123"}}`, false, "bad_query"},
		{"MCP tool call", `{"subject":{"type":"Workload","id":"spiffe://example.org/ns/ai/sa/agent"},
		  "action":{"name":"github.create_issue"},"resource":{"type":"Tool","id":"github/create_issue"},
		  "context":{"mcp":{"server":"github","method":"tools/call","tool":"create_issue","arguments":{"repo":"acme/web"}}}}`, true, "permit"},
		{"MCP tool call, other repo", `{"subject":{"type":"Workload","id":"spiffe://example.org/ns/ai/sa/agent"},
		  "action":{"name":"github.create_issue"},"resource":{"type":"Tool","id":"github/create_issue"},
		  "context":{"mcp":{"server":"github","method":"tools/call","tool":"create_issue","arguments":{"repo":"evil/web"}}}}`, false, "no_permit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, err := post(gw, base+"/access/v1/evaluation", tt.body)
			var got struct {
				Decision bool           `json:"decision"`
				Context  map[string]any `json:"context"`
			}
			if err != nil || status != 200 || json.Unmarshal(body, &got) != nil {
				t.Fatalf("%d %s %v", status, body, err)
			}
			if got.Decision != tt.want || got.Context["code"] != tt.code {
				t.Fatalf("got %s, want decision %v code %s", body, tt.want, tt.code)
			}
		})
	}

	status, body, err := post(gw, base+"/access/v1/evaluations", `{"subject":{"type":"Workload","id":"spiffe://example.org/ns/shop/sa/frontend"},
	  "action":{"name":"ReadOrder","properties":{"method":"GET"}},"options":{"evaluations_semantic":"deny_on_first_deny"},
	  "evaluations":[{"resource":{"type":"Order","id":"1"}},{"resource":{"type":"Order","id":"13"}},{"resource":{"type":"Order","id":"2"}}]}`)
	if err != nil || status != 200 || !bytes.Contains(body, []byte(`"no-order-13"`)) ||
		strings.Count(string(body), `"decision"`) != 2 {
		t.Fatalf("batch %d %s %v", status, body, err)
	}

	testutil.Eventually(t, "seven decision lines naming the gateway (five single, two of the short-circuited batch)", func() bool {
		return strings.Count(d.p.Stdout.String(), `"enforcement_point":"`+gatewayID+`"`) == 7
	})
	if !strings.Contains(d.p.Stdout.String(), `"identity_source":"authzen"`) {
		t.Errorf("decision lines without identity_source authzen:\n%s", d.p.Stdout)
	}
	m := d.p.Metrics()
	if v := testutil.TextValue(m, `tollgate_decisions_total{action="ReadOrder",code="permit",decision="allow",trust_domain="example.org"}`); v != 2 {
		t.Errorf("ReadOrder permits counted %v, want 2", v)
	}
}

// TestAuthZENRefusesOthers: a valid SVID of the trust domain that is not
// in allowed_callers, and a certificate from a CA Tollgate does not trust,
// are refused in the TLS handshake; neither reaches the engine.
func TestAuthZENRefusesOthers(t *testing.T) {
	d := startDoor(t)
	base := "https://" + d.addr
	foreign := testca.New(t, "example.org") // same name, other key: not in the bundle
	for name, c := range map[string]*http.Client{
		"unlisted enforcement point": d.client(d.svid(d.ca, "/ns/mcp/sa/intruder"), d.ca.X509Bundle()),
		"foreign CA":                 d.client(d.svid(foreign, "/ns/mcp/sa/gateway"), d.ca.X509Bundle()),
		"no client certificate": {Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
			InsecureSkipVerify: true}}}, //nolint:gosec // the test is about the server refusing
	} {
		t.Run(name, func(t *testing.T) {
			status, body, err := post(c, base+"/access/v1/evaluation", `{"subject":{"type":"Workload","id":"spiffe://example.org/ns/shop/sa/frontend"},
			  "action":{"name":"ReadOrder","properties":{"method":"GET"}},"resource":{"type":"Order","id":"42"}}`)
			if err == nil {
				t.Fatalf("answered %d %s: want a refused handshake", status, body)
			}
			t.Logf("refused: %v", err)
			if !strings.Contains(err.Error(), "remote error: tls: ") {
				t.Errorf("want a TLS alert from Tollgate, got %v", err)
			}
		})
	}
	time.Sleep(200 * time.Millisecond) // a decision line would reach the pipe by now
	if n := strings.Count(d.p.Stdout.String(), "\n"); n != 0 {
		t.Fatalf("refused callers reached the engine: %d decision lines:\n%s", n, d.p.Stdout)
	}
}
