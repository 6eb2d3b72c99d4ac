package oci

import (
	"fmt"
	"io"
	"net/http"

	"github.com/tollgate-authz/tollgate/policy/bundle"
)

// guard is the innermost RoundTripper under go-containerregistry: it
// refuses plain http (go-containerregistry falls back to it for loopback
// and private addresses, and redirects may point at it) unless allowed,
// and bounds every response body.
type guard struct {
	next      http.RoundTripper
	allowHTTP bool
	maxBody   int64
}

func (g *guard) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "https" && !g.allowHTTP {
		return nil, fmt.Errorf("%w (%s://%s): set allow_insecure_http only for tests", ErrPlainHTTP, req.URL.Scheme, req.URL.Host)
	}
	resp, err := g.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &boundedBody{ReadCloser: resp.Body, left: g.maxBody, max: g.maxBody}
	return resp, nil
}

// boundedBody fails a read past its limit.
type boundedBody struct {
	io.ReadCloser
	left, max int64
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, err := b.ReadCloser.Read(one[:]); n == 0 && err != nil {
			return 0, err
		}
		return 0, fmt.Errorf("%w: a registry response is larger than %d bytes", bundle.ErrTooLarge, b.max)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
