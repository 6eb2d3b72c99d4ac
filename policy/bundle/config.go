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
	// URL of the bundle .tar.gz (http or https). Required.
	URL string
	// SignatureURL of the detached signature; default URL with ".sig"
	// appended to its path.
	SignatureURL string
	// PublicKeys trusted to sign bundles. Required, non-empty.
	PublicKeys []ed25519.PublicKey
	// Client for requests; default an http.Client with a 30s timeout.
	Client *http.Client
	// Interval between polls; default 30s.
	Interval time.Duration
	// CacheDir holds the last-known-good bundle; empty disables it.
	CacheDir string
	// MaxStaleness after the last successful check with the server (200 or
	// 304) before Stale reports true; default 10 × Interval.
	MaxStaleness time.Duration
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

// settings is a validated FetcherConfig with defaults applied.
type settings struct {
	FetcherConfig
	url, sigURL *url.URL
}

func (c FetcherConfig) settings() (*settings, error) {
	s := &settings{FetcherConfig: c}
	var err error
	if s.url, err = parseHTTPURL("URL", c.URL); err != nil {
		return nil, err
	}
	if c.SignatureURL == "" {
		s.sigURL = signatureURL(s.url)
	} else if s.sigURL, err = parseHTTPURL("SignatureURL", c.SignatureURL); err != nil {
		return nil, err
	}
	if err := c.checkRequired(); err != nil {
		return nil, err
	}
	if c.Interval < 0 || c.MaxStaleness < 0 {
		return nil, errors.New("Interval and MaxStaleness must not be negative")
	}
	s.applyDefaults()
	return s, nil
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
	if s.MaxStaleness == 0 {
		s.MaxStaleness = stalenessIntervals * s.Interval
	}
	if s.Client == nil {
		s.Client = &http.Client{Timeout: defaultClientTimeout}
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.Clock == nil {
		s.Clock = time.Now
	}
	s.Limits = s.Limits.withDefaults()
}

// parseHTTPURL parses an http(s) URL. Errors never echo the URL, which may
// carry credentials.
func parseHTTPURL(field, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s must be an absolute http:// or https:// URL", field)
	}
	return u, nil
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
