package bundle

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Fetcher defaults.
const (
	DefaultInterval      = 30 * time.Second
	defaultClientTimeout = 30 * time.Second
	stalenessIntervals   = 10
)

// FetcherConfig configures a Fetcher.
type FetcherConfig struct {
	// URL of the bundle .tar.gz; https unless AllowInsecureHTTP. Exactly
	// one of URL and Source is required.
	URL string
	// SignatureURL of the detached signature; default URL with ".sig"
	// appended to its path.
	SignatureURL string
	// Source delivers the pair instead of URL (for example an OCI
	// registry, see package oci). URL and SignatureURL must then be empty.
	Source Source
	// PublicKeys trusted to sign bundles. Required, non-empty.
	PublicKeys []ed25519.PublicKey
	// AllowInsecureHTTP accepts http:// URLs and redirects to them. The
	// signature still protects the content, but anyone on the path can
	// then withhold new bundles (until they expire); use only for tests.
	AllowInsecureHTTP bool
	// Client for requests; default an http.Client with a 30s timeout. The
	// Fetcher uses a copy that refuses redirects to plain http.
	Client *http.Client
	// Interval between polls; default 30s.
	Interval time.Duration
	// CacheDir holds the last-known-good bundle; empty disables it.
	CacheDir string
	// MaxStaleness after the last successful check with the server (200 or
	// 304) before Stale reports true; default 10 × Interval.
	MaxStaleness time.Duration
	// StartTimeout bounds how long Start retries the server when neither
	// it nor the last-known-good copy yields a bundle; default 30s.
	StartTimeout time.Duration
	// Limits for downloads and extraction; zero fields take the defaults.
	Limits Limits
	// Validate checks a verified bundle's content before it is accepted.
	// Required: a bundle it rejects is never handed to OnUpdate.
	Validate func(fsys fs.FS) error
	// OnUpdate receives each accepted bundle and its archive digest
	// ("sha256:<hex>"); the caller swaps it in atomically. An error rejects
	// the bundle. Required. Calls are never concurrent.
	OnUpdate func(fsys fs.FS, m *Manifest, digest string) error
	// Logger; default discards.
	Logger *slog.Logger
	// Registerer for the tollgate_bundle_* metrics; nil registers nothing.
	Registerer prometheus.Registerer
	// Clock for staleness; default time.Now.
	Clock func() time.Time
}

// settings is a validated FetcherConfig with defaults applied; Source is
// set (an httpSource for URL).
type settings struct {
	FetcherConfig
}

func (c FetcherConfig) settings() (*settings, error) {
	s := &settings{FetcherConfig: c}
	if c.Source != nil && (c.URL != "" || c.SignatureURL != "") {
		return nil, errors.New("set URL or Source, not both")
	}
	var hs *httpSource
	if c.Source == nil {
		var err error
		if hs, err = c.httpSource(); err != nil {
			return nil, err
		}
	}
	if err := c.checkRequired(); err != nil {
		return nil, err
	}
	if c.Interval < 0 || c.MaxStaleness < 0 || c.StartTimeout < 0 {
		return nil, errors.New("Interval, MaxStaleness and StartTimeout must not be negative")
	}
	s.applyDefaults()
	if hs != nil {
		hs.client, hs.keys, hs.limits, hs.logger = s.Client, s.PublicKeys, s.Limits, s.Logger
		s.Source = hs
	}
	return s, nil
}

// httpSource parses URL and SignatureURL; the rest is filled in once the
// defaults are applied.
func (c FetcherConfig) httpSource() (*httpSource, error) {
	u, err := parseHTTPURL("URL", c.URL, c.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	h := &httpSource{url: u, sigURL: signatureURL(u)}
	if c.SignatureURL != "" {
		if h.sigURL, err = parseHTTPURL("SignatureURL", c.SignatureURL, c.AllowInsecureHTTP); err != nil {
			return nil, err
		}
	}
	return h, nil
}

func (c FetcherConfig) checkRequired() error {
	if len(c.PublicKeys) == 0 {
		return fmt.Errorf("PublicKeys: %w", ErrNoKeys)
	}
	for i, k := range c.PublicKeys {
		if len(k) != ed25519.PublicKeySize {
			return fmt.Errorf("PublicKeys[%d]: not an ed25519 public key (%d bytes)", i, len(k))
		}
	}
	if c.Validate == nil || c.OnUpdate == nil {
		return errors.New("Validate and OnUpdate are required")
	}
	return nil
}

func (s *settings) applyDefaults() {
	if s.Interval == 0 {
		s.Interval = DefaultInterval
	}
	if s.StartTimeout == 0 {
		s.StartTimeout = DefaultStartTimeout
	}
	if s.MaxStaleness == 0 {
		s.MaxStaleness = stalenessIntervals * s.Interval
	}
	if s.Client == nil {
		s.Client = &http.Client{Timeout: defaultClientTimeout}
	}
	s.Client = guardRedirects(s.Client, s.AllowInsecureHTTP)
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.Clock == nil {
		s.Clock = time.Now
	}
	s.Limits = s.Limits.withDefaults()
}

// parseHTTPURL parses an https URL (or http, when allowed). Errors never
// echo the URL, which may carry credentials.
func parseHTTPURL(field, raw string, allowHTTP bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s must be an absolute https:// URL", field)
	}
	if u.Scheme == "http" && !allowHTTP {
		return nil, fmt.Errorf("%s must be https://: over plain http anyone on the path can withhold or replay bundles (set AllowInsecureHTTP to opt out)", field)
	}
	return u, nil
}

// maxRedirects is net/http's default redirect limit.
const maxRedirects = 10

// guardRedirects returns a copy of c that refuses to follow a redirect to
// plain http (unless allowed), then applies c's own redirect policy.
func guardRedirects(c *http.Client, allowHTTP bool) *http.Client {
	out := *c
	next := c.CheckRedirect
	out.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" && !allowHTTP {
			return errors.New("refusing a redirect to a non-https URL")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	}
	return &out
}

// signatureURL appends SignatureSuffix to u's path, keeping its query.
func signatureURL(u *url.URL) *url.URL {
	s := *u
	s.Path += SignatureSuffix
	if s.RawPath != "" {
		s.RawPath += SignatureSuffix
	}
	return &s
}

// redact returns u without credentials, query or fragment, for logs and errors.
func redact(u *url.URL) string {
	s := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return strings.TrimSuffix(s.String(), "?")
}
