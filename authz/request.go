package authz

import (
	"time"

	"github.com/tollgate-authz/tollgate/identity"
)

// Request is a proxy-neutral view of one request to authorize. Adapters in
// the envoy package (gRPC ext_authz, HTTP authorization mode) fill it in.
// Everything in it is untrusted input.
type Request struct {
	Method string // HTTP method (POST for gRPC)
	// Path is the raw request target as the proxy saw it: not decoded,
	// query string included (Envoy's :path).
	Path string
	// ProxyNormalizedPath is set by the adapter, never from the request,
	// when the operator declared that the proxy normalises the path for
	// the upstream as well (Envoy's normalize_path and merge_slashes; see
	// listen.proxy_normalizes_path). Only then are dot segments and
	// duplicate slashes resolved; otherwise such a path is refused,
	// because the upstream would read the raw path.
	ProxyNormalizedPath bool
	Host                string
	Scheme              string
	// Headers holds request headers with lower-cased names. Values of
	// repeated headers are comma-joined, as Envoy does.
	Headers map[string]string
	// SourceAddress is the client IP address (no port), if known.
	SourceAddress string
	// TLS reports whether the downstream connection used TLS.
	TLS bool
	// Credentials carries the identity material the proxy forwarded.
	Credentials identity.Credentials
	// ContextExtensions are Envoy's per-route context_extensions.
	ContextExtensions map[string]string
	// Metadata holds string values from Envoy's metadata_context filter
	// metadata, flattened as "filter.key" (MetadataUnreadable for a list,
	// struct or null).
	Metadata map[string]string
	// Body is the request body, when the proxy forwarded one.
	Body []byte
	// BodyTruncated reports that the proxy sent only part of the body.
	BodyTruncated bool
	// ContentLength is the declared length of the body, or -1 when unknown.
	ContentLength int64
	// Time is when the request was received; zero means now.
	Time time.Time
}
