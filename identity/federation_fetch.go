package identity

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"

	"github.com/spiffe/go-spiffe/v2/bundle/spiffebundle"
	"github.com/spiffe/go-spiffe/v2/spiffetls/tlsconfig"
)

// MaxFederationBundleBytes bounds a bundle endpoint's answer.
const MaxFederationBundleBytes = 1 << 20

// ErrFederationFetch wraps every failed fetch from a bundle endpoint: a
// transport error, a status other than 200, a content type that is not
// JSON, an oversize or unparsable body, or a bundle with no authorities.
// A failed fetch never replaces the bundle in use.
var ErrFederationFetch = errors.New("federated bundle fetch failed")

// httpClient is ep's client: the profile's TLS authentication, the fetch
// timeout, and no redirects (a 3xx is a failed fetch).
func (f *Federation) httpClient(ep FederationEndpoint) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = f.tlsConfig(ep)
	return &http.Client{
		Transport:     tr,
		Timeout:       f.cfg.FetchTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func (f *Federation) tlsConfig(ep FederationEndpoint) *tls.Config {
	if ep.Profile == ProfileHTTPSSPIFFE {
		// The endpoint is authenticated with its trust domain's bundle:
		// the one fetched before, else the bootstrap bundle.
		src := x509Chain{f}
		if f.cfg.Bootstrap != nil {
			src = append(src, f.cfg.Bootstrap)
		}
		return tlsconfig.TLSClientConfig(src, tlsconfig.AuthorizeID(ep.EndpointID))
	}
	return &tls.Config{RootCAs: ep.Roots, MinVersion: tls.VersionTLS12}
}

// fetchBundle GETs ep's bundle and accepts only a 200 with a JSON body of
// at most MaxFederationBundleBytes that parses as a SPIFFE bundle of ep's
// trust domain holding at least one authority.
func fetchBundle(ctx context.Context, client *http.Client, ep FederationEndpoint) (*spiffebundle.Bundle, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep.URL, http.NoBody)
	if err != nil {
		return nil, fetchErr("building the request: the URL does not parse") // the error would repeat the URL
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL, which may hold secrets
		}
		return nil, fetchErr("GET %s: %v", redactURL(ep.URL), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fetchErr("HTTP status %d", resp.StatusCode)
	}
	if err := checkJSONType(resp.Header.Get("Content-Type")); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxFederationBundleBytes+1))
	if err != nil {
		return nil, fetchErr("reading the body: %v", err)
	}
	if len(body) > MaxFederationBundleBytes {
		return nil, fetchErr("body is over %d bytes", MaxFederationBundleBytes)
	}
	b, err := spiffebundle.Parse(ep.TrustDomain, body)
	if err != nil {
		return nil, fetchErr("%v", err)
	}
	if len(b.X509Authorities()) == 0 && len(b.JWTAuthorities()) == 0 {
		return nil, fetchErr("the bundle has no X.509 or JWT authorities")
	}
	return b, nil
}

// checkJSONType accepts application/json and application/jwk-set+json.
func checkJSONType(ct string) error {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && mt != "application/jwk-set+json") {
		return fetchErr("content type %q is not application/json", ct)
	}
	return nil
}

// redactURL is u for logs: scheme, host and path, without user info,
// query or fragment, which may carry secrets.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return (&url.URL{Scheme: p.Scheme, Host: p.Host, Path: p.Path, RawPath: p.RawPath}).String()
}

func fetchErr(format string, args ...any) error {
	return fmt.Errorf("identity: %w: "+format, append([]any{ErrFederationFetch}, args...)...)
}
