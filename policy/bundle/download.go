package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// download GETs the archive, conditionally on etag. notModified is true on a
// 304 (only possible when etag is set).
func (f *Fetcher) download(ctx context.Context, etag string) (archive []byte, newETag string, notModified bool, err error) {
	resp, err := f.get(ctx, f.cfg.url, etag)
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
	archive, err = readAllLimited(resp.Body, f.cfg.Limits.MaxArchiveBytes)
	if errors.Is(err, ErrTooLarge) {
		return nil, "", false, fail(resultContent, "download", err)
	}
	if err != nil {
		return nil, "", false, fail(resultNetwork, "download", stripURL(err))
	}
	return archive, resp.Header.Get("ETag"), false, nil
}

// downloadSignature GETs the detached signature; a 404 is ErrUnsigned.
func (f *Fetcher) downloadSignature(ctx context.Context) ([]byte, error) {
	const step = "download signature"
	resp, err := f.get(ctx, f.cfg.sigURL, "")
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

func (f *Fetcher) get(ctx context.Context, u *url.URL, etag string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, errors.New("cannot build request")
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	req.Header.Set("User-Agent", "tollgate-bundle-fetcher")
	resp, err := f.cfg.Client.Do(req)
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
