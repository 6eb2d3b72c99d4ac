package bundle

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
)

var _ Source = (*httpSource)(nil)

// httpSource fetches the archive from a URL (conditionally, by ETag) and
// its signature from a second URL.
type httpSource struct {
	client      *http.Client
	url, sigURL *url.URL
	keys        []ed25519.PublicKey
	limits      Limits
	logger      *slog.Logger
}

func (h *httpSource) String() string { return redact(h.url) }

// Fetch downloads the archive unless its ETag is still known, then its
// signature; a pair that does not verify is fetched once more (see
// refetchPair).
func (h *httpSource) Fetch(ctx context.Context, known string) (Fetched, error) {
	archive, etag, notModified, err := h.download(ctx, known)
	if err != nil {
		return Fetched{}, err
	}
	if notModified {
		return Fetched{Version: known, Unchanged: true}, nil
	}
	sig, err := h.downloadSignature(ctx)
	if err != nil {
		return Fetched{}, err
	}
	if verify(archive, sig, h.keys) != nil {
		// Maybe a publish in progress: fetch the pair once more.
		if archive, etag, sig, err = h.refetchPair(ctx); err != nil {
			return Fetched{}, err
		}
	}
	return Fetched{Archive: archive, Signature: sig, Version: etag}, nil
}

// download GETs the archive, conditionally on etag. notModified is true on a
// 304 (only possible when etag is set).
func (h *httpSource) download(ctx context.Context, etag string) (archive []byte, newETag string, notModified bool, err error) {
	resp, err := h.get(ctx, h.url, etag)
	if err != nil {
		return nil, "", false, fail(resultNetwork, "download", err)
	}
	defer closeBody(resp)
	switch {
	case resp.StatusCode == http.StatusNotModified && etag != "":
		return nil, "", true, nil
	case resp.StatusCode != http.StatusOK:
		return nil, "", false, fail(resultStatus, "download", fmt.Errorf("unexpected HTTP status %d", resp.StatusCode))
	}
	archive, err = readAllLimited(resp.Body, h.limits.MaxArchiveBytes)
	if errors.Is(err, ErrTooLarge) {
		return nil, "", false, fail(resultContent, "download", err)
	}
	if err != nil {
		return nil, "", false, fail(resultNetwork, "download", stripURL(err))
	}
	return archive, resp.Header.Get("ETag"), false, nil
}

// downloadSignature GETs the detached signature; a 404 is ErrUnsigned.
func (h *httpSource) downloadSignature(ctx context.Context) ([]byte, error) {
	const step = "download signature"
	resp, err := h.get(ctx, h.sigURL, "")
	if err != nil {
		return nil, fail(resultNetwork, step, err)
	}
	defer closeBody(resp)
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound, http.StatusGone:
		return nil, fail(resultSignature, step, fmt.Errorf("%w: HTTP status %d", ErrUnsigned, resp.StatusCode))
	default:
		return nil, fail(resultStatus, step, fmt.Errorf("unexpected HTTP status %d", resp.StatusCode))
	}
	sig, err := readAllLimited(resp.Body, maxSignatureFile)
	if errors.Is(err, ErrTooLarge) {
		return nil, fail(resultSignature, step, fmt.Errorf("%w: signature file is too large", ErrBadSignature))
	}
	if err != nil {
		return nil, fail(resultNetwork, step, stripURL(err))
	}
	return sig, nil
}

func (h *httpSource) get(ctx context.Context, u *url.URL, etag string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, errors.New("cannot build request")
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	req.Header.Set("User-Agent", "tollgate-bundle-fetcher")
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, stripURL(err)
	}
	return resp, nil
}

// stripURL drops the *url.Error wrapper, whose text holds the full URL
// (query and credentials included).
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func closeBody(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}
