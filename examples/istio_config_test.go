package examples_test

// Checks every config under examples/istio against Istio's own API protos
// (strict protojson, as TestEnvoyConfigs does for Envoy), Tollgate's config
// against Tollgate's strict loaders, that the files agree with each other,
// and that Tollgate answers Istio-shaped Check requests as README.md says.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"gopkg.in/yaml.v3"
	meshv1alpha1 "istio.io/api/mesh/v1alpha1"
	networkingv1alpha3 "istio.io/api/networking/v1alpha3"
	securityv1beta1 "istio.io/api/security/v1beta1"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/envoy"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/policy"
)

const istioDir = "istio"

// istioKinds maps each Kubernetes kind allowed under examples/istio to the
// apiVersion it must use and the Istio proto its spec must fit. The v1 CRDs
// are served from the v1beta1 / v1alpha3 protos (istio.io/api's v1 packages
// are aliases of them).
var istioKinds = map[string]struct {
	apiVersion string
	spec       func() proto.Message
}{
	"AuthorizationPolicy": {"security.istio.io/v1", func() proto.Message { return &securityv1beta1.AuthorizationPolicy{} }},
	"PeerAuthentication":  {"security.istio.io/v1", func() proto.Message { return &securityv1beta1.PeerAuthentication{} }},
	"ServiceEntry":        {"networking.istio.io/v1", func() proto.Message { return &networkingv1alpha3.ServiceEntry{} }},
	"DestinationRule":     {"networking.istio.io/v1", func() proto.Message { return &networkingv1alpha3.DestinationRule{} }},
}

// k8sObject is one Istio custom resource with its spec decoded.
type k8sObject struct {
	file, kind, name, namespace string
	spec                        proto.Message
}

// istioExample is everything loaded from an examples/istio directory.
type istioExample struct {
	dir      string
	mesh     *meshv1alpha1.MeshConfig
	objects  []k8sObject
	cfg      *config.Config
	manifest *manifest.Manifest
	policies *policy.Snapshot
}

// istioFiles lists every YAML file under dir (subdirectories included), so a
// new file cannot escape validation: each must be a kind the test knows.
func istioFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			files = append(files, path)
		}
		return nil
	})
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("no YAML files under %s", dir)
	}
	return files, err
}

// loadIstioExample validates every file of dir on its own, then checks that
// they agree with each other.
func loadIstioExample(dir string) (*istioExample, error) {
	files, err := istioFiles(dir)
	if err != nil {
		return nil, err
	}
	x := &istioExample{dir: dir}
	var errs []error
	for _, f := range files {
		errs = append(errs, x.add(f))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return x, x.consistent()
}

// add validates one file and keeps what it holds.
func (x *istioExample) add(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	switch filepath.Base(path) {
	case "meshconfig.yaml":
		js, err := yamlToJSON(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		var mc meshv1alpha1.MeshConfig
		if err := (protojson.UnmarshalOptions{DiscardUnknown: false}).Unmarshal(js, &mc); err != nil {
			return fmt.Errorf("%s: strict unmarshal into istio.mesh.v1alpha1.MeshConfig: %w", path, err)
		}
		x.mesh = &mc
		return nil
	case "tollgate.yaml":
		return x.addTollgate(path)
	case "manifest.yaml":
		// Loaded through tollgate.yaml's manifests: list (addTollgate);
		// here only on its own, so a broken manifest names itself.
		_, err := manifest.LoadAll(path)
		return err
	}
	obj, err := decodeK8sObject(path, raw)
	if err != nil {
		return err
	}
	x.objects = append(x.objects, obj)
	return nil
}

// addTollgate loads tollgate.yaml with Tollgate's strict parser, then the
// policy directory and manifests it names, as `tollgate serve` would.
func (x *istioExample) addTollgate(path string) error {
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	if cfg.Policy.Dir == "" {
		return fmt.Errorf("%s: policy.dir must name the example's policies/ directory", path)
	}
	snap, err := policy.LoadDir(cfg.Policy.Dir, policy.Options{})
	if err != nil {
		return fmt.Errorf("%s: policy.dir: %w", path, err)
	}
	m, err := manifest.LoadAll(cfg.Manifests...)
	if err != nil {
		return fmt.Errorf("%s: manifests: %w", path, err)
	}
	x.cfg, x.policies, x.manifest = cfg, snap, m
	return nil
}

// decodeK8sObject accepts exactly one Istio custom resource: apiVersion,
// kind, metadata (name required) and a spec that strictly fits the kind's
// proto.
func decodeK8sObject(path string, raw []byte) (k8sObject, error) {
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return k8sObject{}, fmt.Errorf("%s: %w", path, err)
	}
	var extra any
	if err := dec.Decode(&extra); err == nil {
		return k8sObject{}, fmt.Errorf("%s: more than one YAML document: put one object per file", path)
	}
	for k := range doc {
		switch k {
		case "apiVersion", "kind", "metadata", "spec":
		default:
			return k8sObject{}, fmt.Errorf("%s: unknown top-level key %q", path, k)
		}
	}
	kind, _ := doc["kind"].(string)
	want, ok := istioKinds[kind]
	if !ok {
		return k8sObject{}, fmt.Errorf("%s: kind %q is not an Istio kind this test validates (or the file is not an Istio object)", path, kind)
	}
	if v, _ := doc["apiVersion"].(string); v != want.apiVersion {
		return k8sObject{}, fmt.Errorf("%s: %s must be apiVersion %s, not %q", path, kind, want.apiVersion, v)
	}
	meta, _ := doc["metadata"].(map[string]any)
	name, _ := meta["name"].(string)
	ns, _ := meta["namespace"].(string)
	if name == "" || ns == "" {
		return k8sObject{}, fmt.Errorf("%s: metadata.name and metadata.namespace are required", path)
	}
	spec, ok := doc["spec"].(map[string]any)
	if !ok {
		return k8sObject{}, fmt.Errorf("%s: spec is missing or not a mapping", path)
	}
	js, err := jsonOf(spec)
	if err != nil {
		return k8sObject{}, fmt.Errorf("%s: %w", path, err)
	}
	msg := want.spec()
	if err := (protojson.UnmarshalOptions{DiscardUnknown: false}).Unmarshal(js, msg); err != nil {
		return k8sObject{}, fmt.Errorf("%s: strict unmarshal of spec into %s: %w", path, proto.MessageName(msg), err)
	}
	return k8sObject{file: path, kind: kind, name: name, namespace: ns, spec: msg}, nil
}

func jsonOf(v any) ([]byte, error) {
	raw, err := yaml.Marshal(v)
	if err != nil {
		return nil, err
	}
	return yamlToJSON(raw)
}

func (x *istioExample) byKind(kind string) []k8sObject {
	var out []k8sObject
	for _, o := range x.objects {
		if o.kind == kind {
			out = append(out, o)
		}
	}
	return out
}

// consistent checks what Istio and Tollgate must agree on; each failure
// would be a broken or fail-open deployment that no single file shows.
func (x *istioExample) consistent() error {
	if x.mesh == nil || x.cfg == nil || x.manifest == nil {
		return fmt.Errorf("%s: needs meshconfig.yaml, tollgate.yaml and manifest.yaml", x.dir)
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	providers := map[string]*meshv1alpha1.MeshConfig_ExtensionProvider{}
	for _, p := range x.mesh.GetExtensionProviders() {
		if p.GetName() == "" || providers[p.GetName()] != nil {
			bad("meshconfig.yaml: extension provider names must be set and unique (%q)", p.GetName())
		}
		providers[p.GetName()] = p
	}

	listenHost, portStr, err := net.SplitHostPort(x.cfg.Listen.GRPC)
	if err != nil {
		bad("tollgate.yaml: listen.grpc %q must be host:port for Istio's provider: %v", x.cfg.Listen.GRPC, err)
	}
	listenPort, _ := strconv.Atoi(portStr)

	aps := x.byKind("AuthorizationPolicy")
	if len(aps) == 0 {
		bad("no AuthorizationPolicy")
	}
	var used []*meshv1alpha1.MeshConfig_ExtensionProvider_EnvoyExternalAuthorizationGrpcProvider
	for _, o := range aps {
		ap := o.spec.(*securityv1beta1.AuthorizationPolicy)
		if ap.GetAction() != securityv1beta1.AuthorizationPolicy_CUSTOM {
			bad("%s: action must be CUSTOM, not %s", o.file, ap.GetAction())
		}
		if len(ap.GetSelector().GetMatchLabels()) == 0 {
			bad("%s: needs a selector: without one it applies to every workload of the namespace", o.file)
		}
		if len(ap.GetRules()) == 0 {
			bad("%s: a CUSTOM policy without rules matches nothing, so nothing would be sent to Tollgate", o.file)
		}
		name := ap.GetProvider().GetName()
		p := providers[name]
		if p == nil {
			bad("%s: provider %q is not an extensionProviders entry of meshconfig.yaml", o.file, name)
			continue
		}
		g := p.GetEnvoyExtAuthzGrpc()
		if g == nil {
			bad("meshconfig.yaml: provider %q must be envoyExtAuthzGrpc (Tollgate's ext_authz gRPC listener)", name)
			continue
		}
		used = append(used, g)
		x.checkPeerAuthentication(o, bad)
	}

	for _, g := range used {
		if int(g.GetPort()) != listenPort {
			bad("meshconfig.yaml: provider port %d != port of tollgate.yaml listen.grpc (%s)", g.GetPort(), x.cfg.Listen.GRPC)
		}
		if g.GetFailOpen() {
			bad("meshconfig.yaml: failOpen must be false: Tollgate unreachable must never allow")
		}
		if s := g.GetStatusOnError(); s == "" || s[0] != '5' {
			bad("meshconfig.yaml: statusOnError should be a 5xx, not %q", s)
		}
		x.checkBody(g, bad)
		x.checkServiceEntry(g, listenHost, bad)
	}

	// Identities: Istio's trust domain must be one Tollgate trusts, the
	// principal must be trusted (Istio forwards no certificate), and every
	// principal IAM names must be of that trust domain.
	td := x.mesh.GetTrustDomain()
	if td == "" {
		td = "cluster.local" // Istio's default
	}
	if !slices.Contains(x.cfg.Identity.TrustDomains, td) {
		bad("tollgate.yaml: identity.trust_domains %v must include the mesh trust domain %s", x.cfg.Identity.TrustDomains, td)
	}
	if !x.cfg.Identity.TrustSourcePrincipal {
		bad("tollgate.yaml: identity.trust_source_principal must be true: Istio forwards only source.principal")
	}
	if x.cfg.Listen.MTLS == nil && !strings.HasPrefix(x.cfg.Listen.GRPC, "unix://") {
		if ip := net.ParseIP(listenHost); ip == nil || !ip.IsLoopback() {
			bad("tollgate.yaml: with trust_source_principal, listen.grpc must be loopback, a unix socket or protected by listen.mtls, not %s", x.cfg.Listen.GRPC)
		}
	}
	ids, err := spiffeIDsInDir(x.cfg.Policy.Dir)
	if err != nil {
		bad("%v", err)
	}
	for _, id := range ids {
		if sid, err := spiffeid.FromString(id.id); err != nil || sid.TrustDomain().Name() != td {
			bad("%s names %s, not an identity of the mesh trust domain %s", id.file, id.id, td)
		}
	}
	return errors.Join(errs...)
}

// checkBody: MCP routes need the body, as bytes, and a manifest limit no
// larger than what Istio forwards.
func (x *istioExample) checkBody(g *meshv1alpha1.MeshConfig_ExtensionProvider_EnvoyExternalAuthorizationGrpcProvider, bad func(string, ...any)) {
	body := g.GetIncludeRequestBodyInCheck()
	for _, r := range x.manifest.Routes() {
		if r.MCP == nil {
			continue
		}
		if body == nil || !body.GetPackAsBytes() {
			bad("meshconfig.yaml: manifest route %s is MCP: includeRequestBodyInCheck with packAsBytes is required", r.Name)
			continue
		}
		if r.MCP.MaxBodyBytes > int(body.GetMaxRequestBytes()) {
			bad("manifest.yaml: route %s max_body_bytes %d > Istio's maxRequestBytes %d", r.Name, r.MCP.MaxBodyBytes, body.GetMaxRequestBytes())
		}
	}
}

// checkServiceEntry: the provider's service must resolve to Tollgate's
// listener: a ServiceEntry host with that port, as gRPC, at listen.grpc's
// address, and no TLS on that loopback hop.
func (x *istioExample) checkServiceEntry(g *meshv1alpha1.MeshConfig_ExtensionProvider_EnvoyExternalAuthorizationGrpcProvider, listenHost string, bad func(string, ...any)) {
	host := g.GetService()
	if i := strings.LastIndex(host, "/"); i >= 0 { // [namespace/]hostname
		host = host[i+1:]
	}
	var found bool
	for _, o := range x.byKind("ServiceEntry") {
		se := o.spec.(*networkingv1alpha3.ServiceEntry)
		if !slices.Contains(se.GetHosts(), host) {
			continue
		}
		found = true
		if se.GetResolution() != networkingv1alpha3.ServiceEntry_STATIC {
			bad("%s: resolution must be STATIC", o.file)
		}
		var port bool
		for _, p := range se.GetPorts() {
			if p.GetNumber() == g.GetPort() {
				port = true
				if p.GetProtocol() != "GRPC" && p.GetProtocol() != "HTTP2" {
					bad("%s: port %d must be GRPC (HTTP/2), not %q", o.file, p.GetNumber(), p.GetProtocol())
				}
			}
		}
		if !port {
			bad("%s: no port %d (the provider's port)", o.file, g.GetPort())
		}
		eps := se.GetEndpoints()
		if len(eps) != 1 || eps[0].GetAddress() != listenHost {
			bad("%s: endpoints must be exactly %s (tollgate.yaml listen.grpc)", o.file, listenHost)
		}
	}
	if !found && !strings.HasSuffix(host, ".svc.cluster.local") {
		bad("meshconfig.yaml: provider service %q is neither a ServiceEntry host here nor a Kubernetes Service", host)
	}
	for _, o := range x.byKind("DestinationRule") {
		dr := o.spec.(*networkingv1alpha3.DestinationRule)
		if dr.GetHost() == host && dr.GetTrafficPolicy().GetTls().GetMode() != networkingv1alpha3.ClientTLSSettings_DISABLE {
			bad("%s: Tollgate's listener is plaintext on loopback: tls.mode must be DISABLE", o.file)
		}
	}
}

// checkPeerAuthentication: the workloads the CUSTOM policy selects must
// accept only mTLS, so every request carries a verified source.principal.
func (x *istioExample) checkPeerAuthentication(ap k8sObject, bad func(string, ...any)) {
	want := ap.spec.(*securityv1beta1.AuthorizationPolicy).GetSelector().GetMatchLabels()
	for _, o := range x.byKind("PeerAuthentication") {
		pa := o.spec.(*securityv1beta1.PeerAuthentication)
		if o.namespace == ap.namespace && mapsEqual(pa.GetSelector().GetMatchLabels(), want) {
			if pa.GetMtls().GetMode() != securityv1beta1.PeerAuthentication_MutualTLS_STRICT {
				bad("%s: mtls.mode must be STRICT", o.file)
			}
			return
		}
	}
	bad("%s: no PeerAuthentication with the same namespace and selector (STRICT mTLS)", ap.file)
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

type namedID struct{ file, id string }

// spiffeIDsInDir returns the quoted spiffe:// IDs in IAM's policies and
// entity data.
func spiffeIDsInDir(dir string) ([]namedID, error) {
	var ids []namedID
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, part := range strings.Split(string(raw), `"`) {
			if strings.HasPrefix(part, "spiffe://") {
				ids = append(ids, namedID{path, part})
			}
		}
		return nil
	})
	return ids, err
}

func TestIstioConfigs(t *testing.T) {
	files, err := istioFiles(istioDir)
	if err != nil {
		t.Fatal(err)
	}
	x := &istioExample{dir: istioDir}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			if err := x.add(f); err != nil {
				t.Fatal(err)
			}
		})
	}
	if t.Failed() {
		return
	}
	t.Run("consistent", func(t *testing.T) {
		if err := x.consistent(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestIstioValidatorRejects proves the Istio validation can fail: each
// broken copy of examples/istio must be refused.
func TestIstioValidatorRejects(t *testing.T) {
	cases := []struct {
		name, file, from, to string
	}{
		{"misspelled meshconfig field", "meshconfig.yaml", "failOpen: false", "failOpn: false"},
		{"misspelled field in includeRequestBodyInCheck", "meshconfig.yaml", "packAsBytes: true", "packAsByte: true"},
		{"misspelled AuthorizationPolicy field", "authorizationpolicy.yaml", "  action: CUSTOM", "  acton: CUSTOM"},
		{"unknown action enum", "authorizationpolicy.yaml", "action: CUSTOM", "action: CUSTOMISED"},
		{"unknown provider", "authorizationpolicy.yaml", "name: tollgate", "name: tollgat"},
		{"wrong apiVersion", "authorizationpolicy.yaml", "security.istio.io/v1", "security.istio.io/v2"},
		{"wrong field type", "serviceentry.yaml", "number: 9191", "number: ninety"},
		{"port mismatch", "tollgate.yaml", "grpc: 127.0.0.1:9191", "grpc: 127.0.0.1:9193"},
		{"untrusted principal", "tollgate.yaml", "trust_source_principal: true", "trust_source_principal: false"},
		{"listener on the pod network", "tollgate.yaml", "grpc: 127.0.0.1:9191", "grpc: 0.0.0.0:9191"},
		{"unknown tollgate key", "tollgate.yaml", "reload_interval: 5s", "reload_intervall: 5s"},
		{"fail open", "meshconfig.yaml", "failOpen: false", "failOpen: true"},
		{"truncating MCP limit", "manifest.yaml", "max_body_bytes: 65536", "max_body_bytes: 1048576"},
		{"permissive mTLS", "peerauthentication.yaml", "mode: STRICT", "mode: PERMISSIVE"},
		{"foreign trust domain", "policies/tools.cedar", "spiffe://cluster.local/ns/agents", "spiffe://example.org/ns/agents"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "istio")
			if err := os.CopyFS(dir, os.DirFS(istioDir)); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, c.file)
			good, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			broken := strings.Replace(string(good), c.from, c.to, 1)
			if broken == string(good) {
				t.Fatal("edit did not apply")
			}
			if err := os.WriteFile(p, []byte(broken), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err = loadIstioExample(dir)
			if err == nil {
				t.Fatal("a broken config was accepted")
			}
			t.Log(err)
		})
	}
	t.Run("unknown kind", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "istio")
		if err := os.CopyFS(dir, os.DirFS(istioDir)); err != nil {
			t.Fatal(err)
		}
		doc := "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: x, namespace: tools}\nspec: {}\n"
		if err := os.WriteFile(filepath.Join(dir, "sidecar.yaml"), []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := loadIstioExample(dir); err == nil {
			t.Fatal("a file of an unvalidated kind was accepted")
		}
	})
}

// TestIstioDecisions sends Check requests shaped like those of an Istio
// sidecar with meshconfig.yaml's provider (source.principal, no certificate,
// the body as raw_body) to an engine built from examples/istio.
func TestIstioDecisions(t *testing.T) {
	x, err := loadIstioExample(istioDir)
	if err != nil {
		t.Fatal(err)
	}
	var tds []spiffeid.TrustDomain
	for _, n := range x.cfg.Identity.TrustDomains {
		tds = append(tds, spiffeid.RequireTrustDomainFromString(n))
	}
	v, err := identity.NewVerifier(identity.Config{TrustDomains: tds, TrustSourcePrincipal: x.cfg.Identity.TrustSourcePrincipal})
	if err != nil {
		t.Fatal(err)
	}
	engine, err := authz.NewEngine(authz.Config{Identifier: v, Policies: x.policies, Manifest: x.manifest})
	if err != nil {
		t.Fatal(err)
	}
	srv := envoy.NewServer(engine, envoy.Options{})

	const agent = "spiffe://cluster.local/ns/agents/sa/research-agent"
	call := func(tool, args string) string {
		return `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"` + tool + `","arguments":` + args + `}}`
	}
	cases := []struct {
		name, principal, method, path, body string
		partial                             bool
		want                                code.Code
		http                                int // denied_response status; MCP denials are JSON-RPC errors in a 200
		policy                              string
	}{
		{"read-only tool", agent, "POST", "/mcp", call("search_issues", `{"query":"flaky"}`), false, code.Code_OK, 0, "research-agent-read-only-tools"},
		{"issue in acme", agent, "POST", "/mcp", call("create_issue", `{"repo":"acme/web"}`), false, code.Code_OK, 0, "research-agent-acme-issues"},
		{"issue elsewhere", agent, "POST", "/mcp", call("create_issue", `{"repo":"evil/web"}`), false, code.Code_PERMISSION_DENIED, 200, ""},
		{"destructive tool", agent, "POST", "/mcp", call("delete_repository", `{"repo":"acme/old"}`), false, code.Code_PERMISSION_DENIED, 200, "no-destructive-tools-via-mesh"},
		{"health, any mesh workload", "spiffe://cluster.local/ns/ops/sa/prober", "GET", "/health", "", false, code.Code_OK, 0, "health-for-everyone"},
		{"no principal (plaintext)", "", "GET", "/health", "", false, code.Code_UNAUTHENTICATED, 401, ""},
		{"foreign trust domain", "spiffe://example.org/ns/agents/sa/research-agent", "POST", "/mcp", call("search_issues", `{}`), false, code.Code_UNAUTHENTICATED, 401, ""},
		{"body truncated by Istio", agent, "POST", "/mcp", call("search_issues", `{"query":"x"}`), true, code.Code_INVALID_ARGUMENT, 200, ""},
		{"unmatched route", agent, "GET", "/admin", "", false, code.Code_PERMISSION_DENIED, 403, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			headers := map[string]string{":method": c.method, ":path": c.path, "content-type": "application/json"}
			if c.body != "" {
				headers["content-length"] = strconv.Itoa(len(c.body))
			}
			if c.partial {
				headers["x-envoy-auth-partial-body"] = "true"
			} else if c.body != "" {
				headers["x-envoy-auth-partial-body"] = "false"
			}
			req := &authv3.CheckRequest{Attributes: &authv3.AttributeContext{
				Source: &authv3.AttributeContext_Peer{
					Principal: c.principal,
					Address:   &corev3.Address{Address: &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{Address: "10.0.0.7"}}},
				},
				Request: &authv3.AttributeContext_Request{Http: &authv3.AttributeContext_HttpRequest{
					Method: c.method, Path: c.path, Host: "agent-tools.tools.svc.cluster.local:8080",
					Scheme: "http", Headers: headers, RawBody: []byte(c.body),
				}},
			}}
			resp, err := srv.Check(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			got := code.Code(resp.GetStatus().GetCode())
			if got != c.want {
				t.Fatalf("status %s, want %s (%s)", got, c.want, resp.GetStatus().GetMessage())
			}
			if h := int(resp.GetDeniedResponse().GetStatus().GetCode()); h != c.http {
				t.Fatalf("HTTP status %d, want %d", h, c.http)
			}
			if c.want == code.Code_OK {
				var id string
				for _, h := range resp.GetOkResponse().GetHeaders() {
					if h.GetHeader().GetKey() == "x-spiffe-id" {
						id = h.GetHeader().GetValue()
					}
				}
				if id != c.principal {
					t.Fatalf("x-spiffe-id upstream %q, want %q", id, c.principal)
				}
			}
			if c.policy != "" {
				var pols []string
				if f := resp.GetDynamicMetadata().GetFields()["policies"]; f != nil {
					for _, v := range f.GetListValue().GetValues() {
						pols = append(pols, v.GetStringValue())
					}
					if len(pols) == 0 {
						pols = strings.Split(f.GetStringValue(), ",")
					}
				}
				sort.Strings(pols)
				if !slices.Contains(pols, c.policy) {
					t.Fatalf("determining policies %v, want %s", pols, c.policy)
				}
			}
		})
	}
}
