package adminui

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Prefix is where the page lives on the admin listener.
const Prefix = "/ui/"

// CSP is the page's Content-Security-Policy: its own script and style
// files only, no inline code, no framing, no forms, fetches to itself.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

//go:embed static
var static embed.FS

// ErrConfig is returned by New for a missing part.
var ErrConfig = errors.New("adminui: invalid configuration")

// Options configures the page.
type Options struct {
	Ring   *Ring        // required: the decisions
	Status StatusSource // required: policy, exceptions, bundles
	Clock  func() time.Time
}

// Handler serves the page and its JSON under Prefix. It only reads.
type Handler struct {
	ring   *Ring
	status StatusSource
	clock  func() time.Time
	files  map[string]staticFile
}

type staticFile struct {
	contentType string
	body        []byte
}

// New builds the handler; the static files are read once here.
func New(o Options) (*Handler, error) {
	if o.Ring == nil || o.Status == nil {
		return nil, fmt.Errorf("%w: Ring and Status are required", ErrConfig)
	}
	h := &Handler{ring: o.Ring, status: o.Status, clock: o.Clock, files: map[string]staticFile{}}
	if h.clock == nil {
		h.clock = time.Now
	}
	for path, f := range map[string]staticFile{
		Prefix:                 {contentType: "text/html; charset=utf-8"},
		Prefix + "app.js":      {contentType: "text/javascript; charset=utf-8"},
		Prefix + "app.css":     {contentType: "text/css; charset=utf-8"},
		Prefix + "favicon.svg": {contentType: "image/svg+xml"},
	} {
		name := "static/" + strings.TrimPrefix(path, Prefix)
		if path == Prefix {
			name = "static/index.html"
		}
		b, err := static.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("adminui: %w", err)
		}
		f.body = b
		h.files[path] = f
	}
	return h, nil
}

// ServeHTTP answers GET and HEAD under Prefix; every answer carries the
// security headers.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", CSP)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Cross-Origin-Resource-Policy", "same-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		http.Error(w, "the admin page is read-only: only GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	if !localHost(r.Host) {
		http.Error(w, "the admin page answers only to an IP address or localhost in Host (DNS rebinding)", http.StatusMisdirectedRequest)
		return
	}
	if f, ok := h.files[r.URL.Path]; ok && r.URL.RawQuery == "" {
		hd.Set("Content-Type", f.contentType)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
		return
	}
	h.api(w, r)
}

// api serves the JSON endpoints.
func (h *Handler) api(w http.ResponseWriter, r *http.Request) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		http.Error(w, "bad query: "+err.Error(), http.StatusBadRequest)
		return
	}
	switch r.URL.Path {
	case Prefix + "api/status":
		if noQuery(w, q) {
			writeJSON(w, viewStatus(h.status.Status(), h.clock()))
		}
	case Prefix + "api/denies":
		if noQuery(w, q) {
			writeJSON(w, h.ring.Denies())
		}
	case Prefix + "api/decisions":
		deniesOnly, err := parseFilter(q)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		writeJSON(w, viewDecisions(h.ring.Recent(deniesOnly)))
	default:
		http.NotFound(w, r)
	}
}

func noQuery(w http.ResponseWriter, q url.Values) bool {
	if len(q) == 0 {
		return true
	}
	http.Error(w, "this endpoint takes no query parameters", http.StatusBadRequest)
	return false
}

// parseFilter reads the only parameter of /ui/api/decisions: filter=all
// (the default) or filter=deny.
func parseFilter(q url.Values) (deniesOnly bool, err error) {
	for k := range q {
		if k != "filter" {
			return false, fmt.Errorf("unknown query parameter %q: only filter=all|deny", k)
		}
	}
	switch v := q["filter"]; {
	case len(v) == 0:
		return false, nil
	case len(v) > 1:
		return false, errors.New("filter given more than once")
	case v[0] == "all":
		return false, nil
	case v[0] == "deny":
		return true, nil
	}
	return false, errors.New("filter must be all or deny")
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v) // escapes <, > and & as \u003c etc.
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(b, '\n'))
}

// localHost reports whether the Host header names an IP address or
// localhost, so that a web page on a DNS name rebound to the admin
// listener's address cannot read the page's data.
func localHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if _, err := netip.ParseAddr(host); err == nil {
		return true
	}
	return strings.EqualFold(host, "localhost")
}
