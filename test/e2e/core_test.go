package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"

	"github.com/tollgate-authz/tollgate/internal/testca"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

const coreConfig = `
listen: { grpc: "{{GRPC}}", admin: "{{ADMIN}}" }
identity:
  trust_domains: [example.org]
  bundles:
    - trust_domain: example.org
      x509_pem: bundle.pem
      jwks: jwks.json
  jwt: { audiences: [tollgate] }
policy: { dir: policies, reload_interval: 100ms }
manifests: [manifest.yaml]
log: { decisions: stdout }
shutdown_timeout: 10s
`

const (
	frontendID = "spiffe://example.org/ns/shop/sa/frontend"
	adminID    = "spiffe://example.org/ns/ops/sa/admin"
	strangerID = "spiffe://example.org/ns/misc/sa/stranger"
)

// coreEnv is a tollgate with the test policies and a test CA.
type coreEnv struct {
	*harness.Proc
	ca *testca.CA
}

func startCore(t *testing.T) *coreEnv {
	t.Helper()
	dir := t.TempDir()
	ca := testca.New(t, "example.org")
	harness.WriteFile(t, dir, "bundle.pem", ca.X509BundlePEM())
	harness.WriteFile(t, dir, "jwks.json", ca.JWKS())
	harness.CopyDir(t, "testdata/policies", filepath.Join(dir, "policies"))
	b, err := os.ReadFile("testdata/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "manifest.yaml", b)
	p := harness.Start(t, dir, coreConfig)
	p.WaitReady()
	return &coreEnv{Proc: p, ca: ca}
}

func (e *coreEnv) cert(id string, opts ...testca.SVIDOption) harness.ReqOpt {
	path := strings.TrimPrefix(id, "spiffe://example.org")
	return harness.WithCert(e.ca.NewX509SVID(path, opts...).EnvoyLeaf())
}

func TestDecisions(t *testing.T) {
	e := startCore(t)
	rogue := testca.New(t, "example.org") // same trust domain, different key
	other := testca.New(t, "other.org")
	past := time.Now().Add(-2 * time.Hour)
	tests := []struct {
		name     string
		req      func() harness.ReqOpt
		method   string
		path     string
		extra    []harness.ReqOpt
		allow    bool
		status   int
		code     string
		policies []string
	}{
		{name: "allow", req: func() harness.ReqOpt { return e.cert(frontendID) }, method: "GET", path: "/orders/42",
			allow: true, status: 200, code: "permit", policies: []string{"frontend-reads"}},
		{name: "deny by forbid", req: func() harness.ReqOpt { return e.cert(adminID) }, method: "DELETE", path: "/orders/1",
			status: 403, code: "forbid", policies: []string{"no-delete-order-1"}},
		{name: "admin may delete other orders", req: func() harness.ReqOpt { return e.cert(adminID) }, method: "DELETE", path: "/orders/2",
			allow: true, status: 200, code: "permit", policies: []string{"admin-deletes"}},
		{name: "no permit", req: func() harness.ReqOpt { return e.cert(frontendID) }, method: "DELETE", path: "/orders/2",
			status: 403, code: "no_permit"},
		{name: "unmatched route", req: func() harness.ReqOpt { return e.cert(frontendID) }, method: "GET", path: "/admin",
			status: 403, code: "no_route"},
		{name: "erroring forbid denies", req: func() harness.ReqOpt { return e.cert(frontendID) }, method: "POST", path: "/explode",
			status: 403, code: "forbid_error", policies: []string{"forbid-explode-erroring"}},
		// Paths: without listen.proxy_normalizes_path, a path the upstream could read
		// differently from Tollgate is refused, never resolved into another route.
		{name: "dot-dot out of a public route", req: func() harness.ReqOpt { return e.cert(strangerID) }, method: "GET", path: "/public/status/../../orders/7",
			status: 400, code: "bad_path"},
		{name: "encoded dot-dot", req: func() harness.ReqOpt { return e.cert(strangerID) }, method: "GET", path: "/public/status/%2e%2e/%2E%2E/orders/7",
			status: 400, code: "bad_path"},
		{name: "encoded slash refused", req: func() harness.ReqOpt { return e.cert(strangerID) }, method: "GET", path: "/public%2Fstatus",
			status: 400, code: "bad_path"},
		{name: "query cannot choose the route", req: func() harness.ReqOpt { return e.cert(strangerID) }, method: "GET", path: "/orders/7?next=/public/status",
			status: 403, code: "no_permit"},
		{name: "duplicate slashes", req: func() harness.ReqOpt { return e.cert(frontendID) }, method: "GET", path: "//orders//42",
			status: 400, code: "bad_path"},
		{name: "path parameter", req: func() harness.ReqOpt { return e.cert(frontendID) }, method: "GET", path: "/orders/42;jsessionid=x",
			status: 400, code: "bad_path"},
		{name: "dot-dot into public status", req: func() harness.ReqOpt { return e.cert(strangerID) }, method: "GET", path: "/orders/../public/./status",
			status: 400, code: "bad_path"},
		// Requests another reader (the upstream's framework, a URL parser, NFKC)
		// reads as another request: refused.
		{name: "method override names another method", req: func() harness.ReqOpt { return e.cert(frontendID) }, method: "GET", path: "/orders/42",
			extra: []harness.ReqOpt{harness.WithHeader("x-http-method-override", "DELETE")}, status: 400, code: "bad_request"},
		{name: "method override spelled with underscores", req: func() harness.ReqOpt { return e.cert(frontendID) }, method: "GET", path: "/orders/42",
			extra: []harness.ReqOpt{harness.WithHeader("x_http_method_override", "DELETE")}, status: 400, code: "bad_request"},
		{name: "identity header spelled with underscores", req: func() harness.ReqOpt { return e.cert(frontendID) }, method: "GET", path: "/orders/42",
			extra: []harness.ReqOpt{harness.WithHeader("x_spiffe_id", adminID)}, status: 400, code: "bad_request"},
		{name: "lower-case method", req: func() harness.ReqOpt { return e.cert(adminID) }, method: "delete", path: "/orders/2",
			status: 400, code: "bad_request"},
		{name: "userinfo in host", req: func() harness.ReqOpt { return e.cert(frontendID) }, method: "GET", path: "/orders/42",
			extra: []harness.ReqOpt{func(c *authv3.CheckRequest) { c.Attributes.Request.Http.Host = "x@orders.example.org" }}, status: 400, code: "bad_request"},
		{name: "full-width digits in an id", req: func() harness.ReqOpt { return e.cert(frontendID) }, method: "GET", path: "/orders/%EF%BC%94%EF%BC%92",
			status: 400, code: "bad_path"},
		{name: "raw space in the target", req: func() harness.ReqOpt { return e.cert(frontendID) }, method: "GET", path: "/orders/42 /admin",
			status: 400, code: "bad_path"},
		// Identity failures: 401 with a reason, never an allow.
		{name: "no identity", req: func() harness.ReqOpt { return func(*authv3.CheckRequest) {} }, method: "GET", path: "/public/status",
			status: 401, code: "identity_missing"},
		{name: "spoofed x-spiffe-id header alone", req: func() harness.ReqOpt { return harness.WithHeader("x-spiffe-id", adminID) }, method: "GET", path: "/public/status",
			status: 401, code: "identity_missing"},
		{name: "principal not trusted by this config", req: func() harness.ReqOpt { return harness.WithPrincipal(adminID) }, method: "GET", path: "/public/status",
			status: 401, code: "identity_missing"},
		{name: "malformed certificate", req: func() harness.ReqOpt { return harness.WithCert("-----BEGIN%20CERTIFICATE-----%0Agarbage") }, method: "GET", path: "/public/status",
			status: 401, code: "identity_malformed"},
		{name: "expired certificate", req: func() harness.ReqOpt { return e.cert(frontendID, testca.WithValidity(past.Add(-time.Hour), past)) }, method: "GET", path: "/orders/1",
			status: 401, code: "identity_expired"},
		{name: "untrusted trust domain", req: func() harness.ReqOpt { return harness.WithCert(other.NewX509SVID("/ns/shop/sa/frontend").EnvoyLeaf()) }, method: "GET", path: "/orders/1",
			status: 401, code: "identity_untrusted_domain"},
		{name: "signed by a rogue CA", req: func() harness.ReqOpt { return harness.WithCert(rogue.NewX509SVID("/ns/shop/sa/frontend").EnvoyLeaf()) }, method: "GET", path: "/orders/1",
			status: 401, code: "identity_bad_signature"},
		{name: "CA certificate as leaf", req: func() harness.ReqOpt { return e.cert(frontendID, testca.AsCA()) }, method: "GET", path: "/orders/1",
			status: 401, code: "identity_not_svid"},
		{name: "JWT-SVID allowed", req: func() harness.ReqOpt {
			return harness.WithBearer(e.ca.NewJWTSVID("/ns/shop/sa/frontend", []string{"tollgate"}))
		}, method: "GET", path: "/orders/9",
			allow: true, status: 200, code: "permit"},
		{name: "JWT wrong audience", req: func() harness.ReqOpt {
			return harness.WithBearer(e.ca.NewJWTSVID("/ns/shop/sa/frontend", []string{"someone-else"}))
		}, method: "GET", path: "/orders/9",
			status: 401, code: "identity_wrong_audience"},
		{name: "JWT alg none", req: func() harness.ReqOpt {
			return harness.WithBearer(e.ca.NewJWTAlgNone("/ns/shop/sa/frontend", []string{"tollgate"}))
		}, method: "GET", path: "/orders/9",
			status: 401, code: "identity_unsupported_alg"},
		{name: "JWT HS256", req: func() harness.ReqOpt {
			return harness.WithBearer(e.ca.NewJWTHS256("/ns/shop/sa/frontend", []string{"tollgate"}, []byte("secret")))
		}, method: "GET", path: "/orders/9",
			status: 401, code: "identity_unsupported_alg"},
		{name: "JWT expired", req: func() harness.ReqOpt {
			return harness.WithBearer(e.ca.NewJWTSVID("/ns/shop/sa/frontend", []string{"tollgate"}, testca.WithExpiry(past), testca.WithIssuedAt(past.Add(-time.Hour))))
		}, method: "GET", path: "/orders/9", status: 401, code: "identity_expired"},
		{name: "JWT unknown key", req: func() harness.ReqOpt {
			return harness.WithBearer(e.ca.NewJWTUnknownKey("/ns/shop/sa/frontend", []string{"tollgate"}))
		}, method: "GET", path: "/orders/9",
			status: 401, code: "identity_bad_signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := harness.Summarise(e.Check(harness.NewCheck(tt.method, tt.path, append([]harness.ReqOpt{tt.req()}, tt.extra...)...)))
			if v.Allow != tt.allow || v.HTTPStatus != tt.status || v.Code != tt.code {
				t.Fatalf("got allow=%v status=%d code=%q body=%s; want allow=%v status=%d code=%q",
					v.Allow, v.HTTPStatus, v.Code, v.Body, tt.allow, tt.status, tt.code)
			}
			if tt.policies != nil && !slices.Equal(v.Policies, tt.policies) {
				t.Errorf("determining policies = %v, want %v", v.Policies, tt.policies)
			}
			if v.DecisionID == "" || v.Version == "" {
				t.Errorf("decision id %q / policy version %q missing from dynamic metadata", v.DecisionID, v.Version)
			}
			if !v.Allow {
				checkDenyBody(t, v)
			}
		})
	}
}

func checkDenyBody(t *testing.T, v harness.Verdict) {
	t.Helper()
	if v.HTTPStatus == 400 && v.Body == "" {
		return
	}
	var body struct {
		DecisionID string `json:"decision_id"`
		Reason     string `json:"reason"`
	}
	dec := json.NewDecoder(strings.NewReader(v.Body))
	if err := dec.Decode(&body); err != nil {
		t.Fatalf("deny body %q is not JSON: %v", v.Body, err)
	}
	if body.DecisionID != v.DecisionID || body.Reason == "" {
		t.Errorf("deny body %q: want decision_id %q and a reason", v.Body, v.DecisionID)
	}
}

// The JWT-SVID that proved the caller's identity is removed from the
// upstream request (identity.jwt.forward defaults to false): an upstream
// holding it could replay it to every service behind Tollgate. An X.509
// caller's Authorization header is the upstream's business and stays.
func TestVerifiedJWTSVIDRemovedUpstream(t *testing.T) {
	e := startCore(t)
	jwt := e.Check(harness.NewCheck("GET", "/orders/5",
		harness.WithBearer(e.ca.NewJWTSVID("/ns/shop/sa/frontend", []string{"tollgate"}))))
	if !harness.Summarise(jwt).Allow || !slices.Contains(jwt.GetOkResponse().GetHeadersToRemove(), "authorization") {
		t.Fatalf("JWT-SVID caller: want an allow removing authorization, got %v", jwt)
	}
	x509 := e.Check(harness.NewCheck("GET", "/orders/5", e.cert(frontendID), harness.WithHeader("authorization", "Bearer upstream-token")))
	if !harness.Summarise(x509).Allow || len(x509.GetOkResponse().GetHeadersToRemove()) != 0 {
		t.Fatalf("X.509 caller: want an allow removing nothing, got %v", x509)
	}
}

// A client-sent x-spiffe-id never reaches the upstream: Tollgate overwrites it
// with the verified identity.
func TestSpoofedIdentityHeaderOverwritten(t *testing.T) {
	e := startCore(t)
	v := harness.Summarise(e.Check(harness.NewCheck("GET", "/orders/5", e.cert(frontendID),
		harness.WithHeader("x-spiffe-id", adminID), harness.WithHeader("x-tollgate-decision-id", "forged"))))
	if !v.Allow {
		t.Fatalf("want allow, got %+v", v)
	}
	if v.Headers["x-spiffe-id"] != frontendID {
		t.Errorf("upstream x-spiffe-id = %q, want the verified %q", v.Headers["x-spiffe-id"], frontendID)
	}
	if v.Headers["x-tollgate-decision-id"] != v.DecisionID {
		t.Errorf("upstream decision id = %q, want %q", v.Headers["x-tollgate-decision-id"], v.DecisionID)
	}
}

// testcaBundle writes a fresh CA's bundle files into dir.
func testcaBundle(t *testing.T, dir string) *testca.CA {
	ca := testca.New(t, "example.org")
	harness.WriteFile(t, dir, "bundle.pem", ca.X509BundlePEM())
	harness.WriteFile(t, dir, "jwks.json", ca.JWKS())
	return ca
}
