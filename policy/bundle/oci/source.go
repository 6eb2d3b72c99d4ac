package oci

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/tollgate-authz/tollgate/policy/bundle"
)

var _ bundle.Source = (*Source)(nil)

// FetchTimeout bounds one Fetch (manifest and both blobs), as the http
// source's client timeout does: a registry that never answers must not
// hold a check, and with it the fallback to the last-known-good bundle at
// start, forever.
const FetchTimeout = 30 * time.Second

// Options configure a Source or a Push.
type Options struct {
	// AllowInsecureHTTP lets requests use plain http (tests only: anyone
	// on the path could then withhold new bundles).
	AllowInsecureHTTP bool
	// Limits bound the archive (MaxArchiveBytes); zero takes the defaults.
	Limits bundle.Limits
	// Keychain supplies registry credentials; default
	// authn.DefaultKeychain (the Docker config file, $DOCKER_CONFIG).
	Keychain authn.Keychain
	// Transport is the base RoundTripper; default a clone of
	// http.DefaultTransport. It is always wrapped by the plain-http guard.
	Transport http.RoundTripper
}

// Source fetches a bundle pair from a registry tag (or digest).
type Source struct {
	ref        Reference
	puller     *remote.Puller // keeps the registry's token between polls
	maxArchive int64
}

// NewSource parses loc (oci://host[:port]/repository:tag) and prepares
// requests. It does no I/O.
func NewSource(loc string, o Options) (*Source, error) {
	ref, err := ParseReference(loc, o.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	maxArchive := o.Limits.MaxArchiveBytes
	if maxArchive <= 0 {
		maxArchive = bundle.DefaultMaxArchiveBytes
	}
	puller, err := remote.NewPuller(o.remoteOptions(maxArchive)...)
	if err != nil {
		return nil, wrap(err)
	}
	return &Source{ref: ref, puller: puller, maxArchive: maxArchive}, nil
}

func (o Options) remoteOptions(maxArchive int64) []remote.Option {
	keychain := o.Keychain
	if keychain == nil {
		keychain = authn.DefaultKeychain
	}
	base := o.Transport
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	g := &guard{next: base, allowHTTP: o.AllowInsecureHTTP, maxBody: maxArchive + 64<<10}
	return []remote.Option{remote.WithAuthFromKeychain(keychain), remote.WithTransport(g),
		remote.WithUserAgent("tollgate")}
}

// String is the oci:// location, for logs.
func (s *Source) String() string { return s.ref.String() }

// Fetch reads the manifest the tag points at; if its digest is known, it
// reports Unchanged without fetching blobs. Otherwise it fetches the two
// blobs the manifest pins and checks their digests and sizes.
func (s *Source) Fetch(ctx context.Context, known string) (bundle.Fetched, error) {
	ctx, cancel := context.WithTimeout(ctx, FetchTimeout)
	defer cancel()
	desc, err := s.puller.Get(ctx, s.ref.ref)
	if err != nil {
		return bundle.Fetched{}, wrap(classify("manifest", err))
	}
	version := digestOf(desc.Manifest)
	if version == known {
		return bundle.Fetched{Version: version, Unchanged: true}, nil
	}
	p, err := parseManifest(desc.Manifest, s.maxArchive)
	if err != nil {
		return bundle.Fetched{}, wrap(err)
	}
	archive, err := s.blob(ctx, "archive", p.archive)
	if err != nil {
		return bundle.Fetched{}, err
	}
	sig, err := s.blob(ctx, "signature", p.signature)
	if err != nil {
		return bundle.Fetched{}, err
	}
	return bundle.Fetched{Archive: archive, Signature: sig, Version: version}, nil
}

// blob downloads the blob d pins and checks it against d.
func (s *Source) blob(ctx context.Context, what string, d descriptor) ([]byte, error) {
	l, err := s.puller.Layer(ctx, s.ref.ref.Context().Digest(d.Digest))
	if err != nil {
		return nil, wrap(classify(what, err))
	}
	rc, err := l.Compressed()
	if err != nil {
		return nil, wrap(classify(what, err))
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, d.Size+1))
	if err != nil {
		return nil, wrap(classify(what, err))
	}
	if err := checkContent(what, d, data); err != nil {
		return nil, wrap(err)
	}
	return data, nil
}

// classify marks a registry's error answer with bundle.ErrStatus, and
// bounds the registry's text in it (it reaches the log).
func classify(what string, err error) error {
	err = boundedText{err}
	var te *transport.Error
	if errors.As(err, &te) && te.StatusCode != 0 {
		return fmt.Errorf("%w: %s: registry answered HTTP %d: %w", bundle.ErrStatus, what, te.StatusCode, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// boundedText is err with its message cut to maxErrorText bytes.
type boundedText struct{ err error }

const maxErrorText = 512

func (b boundedText) Error() string {
	s := b.err.Error()
	if len(s) > maxErrorText {
		return strings.ToValidUTF8(s[:maxErrorText], "") + "... (truncated)"
	}
	return s
}

func (b boundedText) Unwrap() error { return b.err }
