package config

import (
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Limits bound what a caller can make the listeners hold (listen.limits).
// They apply to every listener Tollgate opens: the ext_authz gRPC listener
// (the sizes, streams and keepalive) and the HTTP listeners, admin and
// http_authz (the timeouts and header size). A key left out takes the
// default of DefaultLimits; an explicit zero or negative value is an error.
type Limits struct {
	// MaxRecvBytes is the largest gRPC message accepted (default 4 MiB).
	// It must exceed Envoy's with_request_body.max_request_bytes plus the
	// request headers; a larger CheckRequest fails with RESOURCE_EXHAUSTED,
	// which Envoy answers with status_on_error (never an allow as long as
	// failure_mode_allow is false).
	MaxRecvBytes int `yaml:"max_recv_bytes"`
	// MaxConcurrentStreams caps concurrent Checks per gRPC connection
	// (default 1024); Envoy opens another connection past it.
	MaxConcurrentStreams int `yaml:"max_concurrent_streams"`
	// KeepaliveMinTime is the shortest interval at which a client may ping
	// (default 10s); a client pinging more often is disconnected. Keep it
	// below Envoy's connection_keepalive interval.
	KeepaliveMinTime time.Duration `yaml:"keepalive_min_time"`
	// KeepaliveTime is how long a gRPC connection may be idle before
	// Tollgate pings it (default 1m); KeepaliveTimeout is how long it waits
	// for the answer before closing the connection (default 20s).
	KeepaliveTime    time.Duration `yaml:"keepalive_time"`
	KeepaliveTimeout time.Duration `yaml:"keepalive_timeout"`
	// ReadHeaderTimeout bounds reading a request's headers on the HTTP
	// listeners and the connection handshake on the gRPC listener
	// (default 5s).
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout"`
	// ReadTimeout bounds reading a whole HTTP request, body included
	// (default 30s); WriteTimeout bounds reading the body, deciding and
	// writing the answer (default 30s); IdleTimeout closes an idle
	// keep-alive HTTP connection (default 2m).
	ReadTimeout  time.Duration `yaml:"read_timeout"`
	WriteTimeout time.Duration `yaml:"write_timeout"`
	IdleTimeout  time.Duration `yaml:"idle_timeout"`
	// MaxHeaderBytes bounds the request headers on the HTTP listeners and
	// the header list on the gRPC listener (default 128 KiB, above
	// Envoy's default 60 KiB request header limit).
	MaxHeaderBytes int `yaml:"max_header_bytes"`
}

// DefaultLimits are the limits of a key left out of listen.limits.
func DefaultLimits() Limits {
	return Limits{
		MaxRecvBytes: 4 << 20, MaxConcurrentStreams: 1024, MaxHeaderBytes: 128 << 10,
		KeepaliveMinTime: 10 * time.Second, KeepaliveTime: time.Minute, KeepaliveTimeout: 20 * time.Second,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute,
	}
}

func orDefault[T comparable](v *T, d T) {
	var zero T
	if *v == zero {
		*v = d
	}
}

func (l *Limits) applyDefaults() {
	d := DefaultLimits()
	orDefault(&l.MaxRecvBytes, d.MaxRecvBytes)
	orDefault(&l.MaxConcurrentStreams, d.MaxConcurrentStreams)
	orDefault(&l.MaxHeaderBytes, d.MaxHeaderBytes)
	orDefault(&l.KeepaliveMinTime, d.KeepaliveMinTime)
	orDefault(&l.KeepaliveTime, d.KeepaliveTime)
	orDefault(&l.KeepaliveTimeout, d.KeepaliveTimeout)
	orDefault(&l.ReadHeaderTimeout, d.ReadHeaderTimeout)
	orDefault(&l.ReadTimeout, d.ReadTimeout)
	orDefault(&l.WriteTimeout, d.WriteTimeout)
	orDefault(&l.IdleTimeout, d.IdleTimeout)
}

// sizeLimit is one integer key of listen.limits and its range.
type sizeLimit struct {
	key      string
	v        int
	min, max int
}

func (c *Config) validateLimits(f *fileErrs) {
	const p = "listen.limits."
	l := c.Listen.Limits
	for _, key := range []string{"max_recv_bytes", "max_concurrent_streams", "max_header_bytes",
		"keepalive_min_time", "keepalive_time", "keepalive_timeout",
		"read_header_timeout", "read_timeout", "write_timeout", "idle_timeout"} {
		if n := nodeAt(f.root, p+key); n != nil && !positive(n) {
			f.add(p+key, "must be positive (leave it out for the default)")
		}
	}
	for _, s := range []sizeLimit{
		{"max_recv_bytes", l.MaxRecvBytes, 64 << 10, 256 << 20},
		{"max_concurrent_streams", l.MaxConcurrentStreams, 1, 1 << 20},
		{"max_header_bytes", l.MaxHeaderBytes, 8 << 10, 16 << 20},
	} {
		switch {
		case s.v <= 0:
		case s.v < s.min:
			f.add(p+s.key, "must be at least %d, not %d", s.min, s.v)
		case s.v > s.max:
			f.add(p+s.key, "must be at most %d, not %d", s.max, s.v)
		}
	}
	if l.ReadHeaderTimeout > l.ReadTimeout && l.ReadTimeout > 0 {
		f.add(p+"read_header_timeout", "%v must not exceed read_timeout (%v)", l.ReadHeaderTimeout, l.ReadTimeout)
	}
}

// positive reports whether a scalar node holds a number or duration > 0.
func positive(n *yaml.Node) bool {
	var d time.Duration
	if err := n.Decode(&d); err == nil {
		return d > 0
	}
	var i int64
	if err := n.Decode(&i); err == nil {
		return i > 0
	}
	return true // a value of the wrong type is reported by the decoder
}

// nodeAt is the value node at a dotted path of mapping keys, or nil.
func nodeAt(n *yaml.Node, path string) *yaml.Node {
	for _, key := range strings.Split(path, ".") {
		if n = mapValue(n, key); n == nil {
			return nil
		}
	}
	return n
}
