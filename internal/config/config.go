package config

import (
	"fmt"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is the whole tollgate serve configuration.
type Config struct {
	Listen    Listen        `yaml:"listen"`
	Identity  Identity      `yaml:"identity"`
	Policy    Policy        `yaml:"policy"`
	Manifests []string      `yaml:"manifests"`
	Signals   []Signal      `yaml:"signals"`
	Log       Log           `yaml:"log"`
	HTTP      HTTPMode      `yaml:"http_authz"`
	Shutdown  time.Duration `yaml:"shutdown_timeout"`
	Runtime   Runtime       `yaml:"runtime"`
	Admin     Admin         `yaml:"admin"`
	// AuthZEN is the AuthZEN Access Evaluation API listener (authzen.go).
	AuthZEN *AuthZEN `yaml:"authzen"`
	ExtProc ExtProc  `yaml:"ext_proc"`

	// File is the path the configuration was read from.
	File string `yaml:"-"`
	// Warnings are "FILE:LINE: key: message" lines about a config that
	// loads but deserves attention (a deprecated key, an acknowledged
	// risk). serve logs them at WARN; validate prints them.
	Warnings []string `yaml:"-"`

	// root is the decoded YAML, to point later errors at a key's line.
	root *yaml.Node
}

// Locate is "FILE:LINE: path" for a key such as "identity.bundles[0]", for
// errors found after loading (a bundle file serve cannot read, say).
func (c *Config) Locate(path string) string {
	if c.root == nil {
		return c.File + ": " + path
	}
	return fmt.Sprintf("%s:%d: %s", c.File, lineOf(c.root, path), path)
}

// Listen names the listeners.
type Listen struct {
	// GRPC is host:port or unix:///path for the ext_authz gRPC service.
	GRPC string `yaml:"grpc"`
	// Admin is host:port for /metrics, /healthz and /readyz.
	Admin string `yaml:"admin"`
	// Reflection enables gRPC server reflection.
	Reflection bool `yaml:"reflection"`
	// MTLS requires callers of Check to present an X.509-SVID. Without it,
	// anyone who can reach the gRPC port can ask for decisions (see
	// docs/security.md).
	MTLS *ListenMTLS `yaml:"mtls"`
	// ProxyNormalizesPath declares that the Envoy calling the ext_authz
	// gRPC listener normalises the path for the upstream as well
	// (http_connection_manager normalize_path: true and merge_slashes:
	// true). Then Tollgate resolves dot segments and duplicate slashes as
	// Envoy did. Default false: such a path is refused (bad_path,
	// not_normalized), because the upstream would route the raw path. The
	// HTTP mode (http_authz) never trusts it: nginx, Caddy and Traefik
	// forward the raw path. Only true or false is accepted.
	ProxyNormalizesPath bool `yaml:"proxy_normalizes_path"`
	// Limits bound sizes, streams, keepalive and timeouts (limits.go).
	Limits Limits `yaml:"limits"`
}

// Admin configures extras on the admin listener (listen.admin).
type Admin struct {
	// UI serves the read-only page under /ui/ (internal/adminui). Default
	// false: the paths answer 404. Only true or false is accepted.
	UI bool `yaml:"ui"`
}

// ListenMTLS restricts who may call the ext_authz listener.
type ListenMTLS struct {
	// AllowedIDs lists SPIFFE IDs that may call Check.
	AllowedIDs []string `yaml:"allowed_ids"`
	// AllowedTrustDomain admits any caller of that trust domain.
	AllowedTrustDomain string `yaml:"allowed_trust_domain"`
}

// Policy configures the IAM policy source.
type Policy struct {
	// Dir is a directory of .cedar files, entities.json and a schema.
	Dir string `yaml:"dir"`
	// ReloadInterval is how often Dir is checked for changes.
	ReloadInterval time.Duration `yaml:"reload_interval"`
	// MaxExceptionWindow rejects exceptions that expire further ahead.
	MaxExceptionWindow time.Duration `yaml:"max_exception_window"`
	// SettleInterval is how long Dir must read identically (the same
	// content hash over every file it loads) before a new version is
	// swapped in, at start too. Default 2s; at most 5m. Only for Dir.
	SettleInterval time.Duration `yaml:"settle_interval"`
	// AllowEmpty accepts a policy version with no policies (which denies
	// every request). Default false: such a version is refused.
	AllowEmpty bool `yaml:"allow_empty"`
	// RequireSchema refuses a policy version without a schema
	// (schema.cedarschema or schema.cedarschema.json). Default false for
	// compatibility; every production-shaped example sets it. Without a
	// schema, policies are still checked against the context, entity types
	// and actions Tollgate derives from the config and the manifests.
	RequireSchema bool `yaml:"require_schema"`
	// Bundle fetches a signed bundle instead of reading Dir.
	Bundle *PolicyBundle `yaml:"bundle"`
	// Shadow is a candidate policy set every request is also evaluated
	// against; only the enforced result (Dir or Bundle) is acted on.
	Shadow *PolicyShadow `yaml:"shadow"`
}

// PolicyShadow is a candidate policy source: a directory or a signed
// bundle, loaded by the same rules as the enforced one (it shares
// max_exception_window, allow_empty and require_schema, and every version
// must fit the manifests). Disagreements are counted in
// tollgate_shadow_disagreements_total and logged on the decision line.
type PolicyShadow struct {
	// Dir is a candidate policy directory.
	Dir string `yaml:"dir"`
	// ReloadInterval is how often Dir is checked (default 2s).
	ReloadInterval time.Duration `yaml:"reload_interval"`
	// Bundle is a candidate signed bundle; its cache_dir must differ from
	// policy.bundle.cache_dir (each keeps its own highest sequence).
	Bundle *PolicyBundle `yaml:"bundle"`
}

// PolicyBundle configures fetching a signed policy bundle.
type PolicyBundle struct {
	// URL of the bundle; must be https:// unless AllowInsecureHTTP.
	URL string `yaml:"url"`
	// AllowInsecureHTTP accepts an http:// URL (default false). The
	// signature still covers the content, but anyone on the path can then
	// withhold new bundles until the one in use expires. Tests only.
	AllowInsecureHTTP bool          `yaml:"allow_insecure_http"`
	PublicKeys        []string      `yaml:"public_keys"`
	Interval          time.Duration `yaml:"interval"`
	// CacheDir keeps the last-known-good bundle and the highest accepted
	// sequence (a restart refuses older bundles too).
	CacheDir     string        `yaml:"cache_dir"`
	MaxStaleness time.Duration `yaml:"max_staleness"`
	// StartTimeout bounds how long serve retries the server at start when
	// there is no usable last-known-good bundle (default 30s); then it
	// exits with an error.
	StartTimeout time.Duration `yaml:"start_timeout"`
	// OnStale is "deny" (fail closed) or "serve". A bundle past its signed
	// expiry is stale whatever the server answers.
	OnStale string `yaml:"on_stale"`
}

// Signal is one runtime signal copied into the Cedar context.
type Signal struct {
	Name string `yaml:"name"`
	// From is context_extension (set per route in Envoy's config),
	// metadata (set by an earlier Envoy filter) or header. A header is only
	// as trustworthy as the proxy that sets it: use it only for headers the
	// proxy always overwrites, never for one a client can send.
	From string `yaml:"from"`
	Key  string `yaml:"key"`
	Type string `yaml:"type"`
	// Secret marks a value that must not be shown: tollgate check
	// --offline --explain prints it as [redacted], and the decision log
	// leaves it out of "context" (naming it in "context_redacted").
	// Default false: the value is logged.
	Secret bool `yaml:"secret"`
}

// Log configures logging.
type Log struct {
	// Level is debug, info, warn or error.
	Level string `yaml:"level"`
	// Decisions is "stdout", "stderr", "off" or a file path.
	Decisions string `yaml:"decisions"`
	// DecisionFormat is "json" (Tollgate's decision line, the default) or
	// "ocsf" (OCSF API Activity events, for SIEMs; docs/decision-log.md).
	DecisionFormat string `yaml:"decision_format"`
}

// HTTPMode configures the plain-HTTP authorization service.
type HTTPMode struct {
	// Listen is host:port; empty disables the HTTP mode.
	Listen string `yaml:"listen"`
	// Style is envoy, nginx, caddy or traefik.
	Style string `yaml:"style"`
	// TrustedProxies lists CIDRs allowed to call the HTTP mode.
	TrustedProxies []string `yaml:"trusted_proxies"`
}

// Runtime tunes the Go runtime. GOGC and GOMEMLIMIT in the environment win.
type Runtime struct {
	// GCPercent is the GC target (default 400; see docs/benchmarks.md).
	GCPercent int `yaml:"gc_percent"`
	// MemoryLimitMiB is a soft memory limit in MiB (0: none).
	MemoryLimitMiB int64 `yaml:"memory_limit_mib"`
	// MemoryLimitAuto keeps a soft memory limit that follows the live heap
	// (see internal/server/memlimit.go) when no fixed limit is set. nil
	// means true.
	MemoryLimitAuto *bool `yaml:"memory_limit_auto"`
	// MemoryHeadroomMiB is the least room for garbage the automatic limit
	// leaves above the live heap, in MiB (0: DefaultMemoryHeadroomMiB).
	MemoryHeadroomMiB int64 `yaml:"memory_headroom_mib"`
}

// DefaultMemoryHeadroomMiB is runtime.memory_headroom_mib's default.
const DefaultMemoryHeadroomMiB = 24

// Bounds of runtime.memory_headroom_mib: below 4 MiB the GC would run
// almost without pause.
const (
	minMemoryHeadroomMiB = 4
	maxMemoryHeadroomMiB = 1 << 16
)

// MemoryHeadroom is runtime.memory_headroom_mib in bytes, or its default.
func (r Runtime) MemoryHeadroom() int64 {
	if r.MemoryHeadroomMiB == 0 {
		return DefaultMemoryHeadroomMiB << 20
	}
	return r.MemoryHeadroomMiB << 20
}

// AutoMemoryLimit reports whether runtime.memory_limit_auto is in effect:
// on unless set to false or a fixed memory_limit_mib is given.
func (r Runtime) AutoMemoryLimit() bool {
	return r.MemoryLimitMiB == 0 && (r.MemoryLimitAuto == nil || *r.MemoryLimitAuto)
}

// ExtProc is Envoy's external processor (envoy.service.ext_proc.v3) on
// the gRPC listener, which filters MCP tools/list results per caller.
type ExtProc struct {
	// Enabled registers the service next to ext_authz. Only true or false.
	Enabled bool `yaml:"enabled"`
	// MaxResponseBytes bounds a JSON response or one SSE event it reads
	// (default 1 MiB); a larger one is replaced by a JSON-RPC error.
	MaxResponseBytes int `yaml:"max_response_bytes"`
}
