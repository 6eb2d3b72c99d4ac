package governance

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/policy/bundle"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// bundleServer is a real HTTP server publishing one signed bundle, with
// ETag / If-None-Match like a static file server.
type bundleServer struct {
	*httptest.Server
	mu      sync.Mutex
	archive []byte
	sig     []byte // nil: no signature published
	down    bool
}

func newBundleServer(t *testing.T) *bundleServer {
	s := &bundleServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *bundleServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	archive, sig, down := s.archive, s.sig, s.down
	s.mu.Unlock()
	switch {
	case down:
		http.Error(w, "down", http.StatusServiceUnavailable)
	case r.URL.Path == "/bundle.tar.gz":
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256(archive))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		_, _ = w.Write(archive)
	case r.URL.Path == "/bundle.tar.gz.sig" && sig != nil:
		_, _ = w.Write(sig)
	default:
		http.NotFound(w, r)
	}
}

func (s *bundleServer) publish(archive, sig []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.archive, s.sig = archive, sig
}

func (s *bundleServer) setDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// signer is an ed25519 key pair with the public key written to a file.
type signer struct {
	priv    ed25519.PrivateKey
	pubFile string
}

func newSigner(t *testing.T, dir, name string) signer {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pem, err := bundle.EncodePublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return signer{priv: priv, pubFile: harness.WriteFile(t, dir, name, pem)}
}

const schema = `
entity Team;
entity Workload in [Team];
entity Order;
type Ctx = { method: String, path: String, host: String, scheme: String, tls: Bool, time: datetime, source_address?: ipaddr };
action ReadOrder appliesTo { principal: [Workload], resource: [Order], context: Ctx };
`

const entities = `[
 {"uid": {"type": "Team", "id": "storefront"}, "attrs": {}, "parents": []},
 {"uid": {"type": "Workload", "id": "spiffe://example.org/ns/shop/sa/frontend"}, "attrs": {},
  "parents": [{"type": "Team", "id": "storefront"}]}
]`

const manifest = `service: orders
routes:
  - name: get-order
    match: { method: GET, path: "/orders/{id}" }
    action: ReadOrder
    resource: { type: Order, id: "{id}" }
`

const (
	frontend = "spiffe://example.org/ns/shop/sa/frontend"
	analyst  = "spiffe://example.org/ns/data/sa/analyst"
)

// policyDir writes a policy directory with the given policies.
func policyDir(t *testing.T, policies string) string {
	dir := t.TempDir()
	harness.WriteFile(t, dir, "schema.cedarschema", []byte(schema))
	harness.WriteFile(t, dir, "entities.json", []byte(entities))
	harness.WriteFile(t, dir, "orders.cedar", []byte(policies))
	return dir
}

const readPolicy = `@id("storefront-reads") permit (principal in Team::"storefront", action == Action::"ReadOrder", resource);`

// signedBundle builds and signs a bundle of policies at version. Its
// sequence is the build time in nanoseconds, so bundles built later in a
// test are newer, as a publisher's are.
func signedBundle(t *testing.T, s signer, version, policies string) ([]byte, []byte) {
	now := time.Now()
	archive, err := bundle.Build(policyDir(t, policies), bundle.BuildOptions{
		Version: version, Sequence: uint64(now.UnixNano()), Created: now, Expires: now.Add(bundle.DefaultValidity),
	})
	if err != nil {
		t.Fatal(err)
	}
	return archive, bundle.Sign(archive, s.priv)
}

// bundleConfig is a serve config fetching url, trusting pubFile.
func bundleConfig(t *testing.T, dir, url, pubFile, cacheDir, staleness, onStale string) string {
	harness.WriteFile(t, dir, "manifest.yaml", []byte(manifest))
	pemData, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "bundle.pem"))
	if err != nil {
		t.Fatal(err)
	}
	harness.WriteFile(t, dir, "bundle.pem", pemData)
	return strings.Join([]string{
		"listen: { grpc: '{{GRPC}}', admin: '{{ADMIN}}' }",
		"identity:",
		"  trust_domains: [example.org]",
		"  bundles: [{ trust_domain: example.org, x509_pem: bundle.pem }]",
		"  trust_source_principal: true",
		"policy:",
		"  bundle:",
		"    url: " + url + "/bundle.tar.gz",
		"    allow_insecure_http: true # httptest serves plain http",
		"    public_keys: [" + pubFile + "]",
		"    interval: 100ms",
		"    cache_dir: " + cacheDir,
		"    max_staleness: " + staleness,
		"    on_stale: " + onStale,
		"manifests: [manifest.yaml]",
		"log: { level: debug, decisions: stdout }",
		"shutdown_timeout: 2s",
	}, "\n") + "\n"
}
