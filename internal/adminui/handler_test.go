package adminui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/authz"
)

type fixedStatus Status

func (f fixedStatus) Status() Status { return Status(f) }

func testHandler(t testing.TB, c *fakeClock) (*Handler, *Ring) {
	t.Helper()
	r := NewRing(c.Now)
	st := fixedStatus{
		Policy: Policy{Loaded: true, Version: "v42", Hash: "sha256:0123456789abcdef", Source: "/etc/tollgate/policies",
			LoadedAt: c.Now().Add(-90 * time.Second), Policies: 6},
		Exceptions: []Exception{{Policy: "hotfix", Ticket: "SEC-1", ApprovedBy: "ciso", Expires: c.Now().Add(3 * time.Hour)}},
		Bundles: []Bundle{{TrustDomain: "example.org", Source: "files", Present: true, Authorities: 1,
			UpdatedAt: c.Now().Add(-10 * time.Second)}, {TrustDomain: "partner.org", Source: "federation"}},
	}
	h, err := New(Options{Ring: r, Status: st, Clock: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	return h, r
}

func get(t testing.TB, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	req.Host = "127.0.0.1:9192"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestNewRequiresParts(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Fatal("New without Ring and Status succeeded")
	}
}

// TestSecurityHeadersOnEveryAnswer: the page, its files, the JSON, a 404,
// a 405 and a bad query all carry the CSP and the other headers.
func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	h, _ := testHandler(t, newClock())
	for _, tc := range []struct {
		method, target string
		status         int
		ctype          string
	}{
		{"GET", "/ui/", 200, "text/html; charset=utf-8"},
		{"HEAD", "/ui/", 200, "text/html; charset=utf-8"},
		{"GET", "/ui/app.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/ui/app.css", 200, "text/css; charset=utf-8"},
		{"GET", "/ui/favicon.svg", 200, "image/svg+xml"},
		{"GET", "/ui/api/status", 200, "application/json"},
		{"GET", "/ui/api/denies", 200, "application/json"},
		{"GET", "/ui/api/decisions?filter=deny", 200, "application/json"},
		{"GET", "/ui/index.html", 404, ""},
		{"GET", "/ui/static/app.js", 404, ""},
		{"GET", "/ui/api/decisions?filter=bogus", 400, ""},
		{"GET", "/ui/api/status?x=1", 400, ""},
		{"POST", "/ui/api/status", 405, ""},
		{"DELETE", "/ui/", 405, ""},
	} {
		w := get(t, h, tc.method, tc.target)
		if w.Code != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.target, w.Code, tc.status)
		}
		hd := w.Header()
		if got := hd.Get("Content-Security-Policy"); got != CSP {
			t.Errorf("%s %s: CSP %q", tc.method, tc.target, got)
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
			"Cache-Control": "no-store", "X-Frame-Options": "DENY"} {
			if hd.Get(k) != v {
				t.Errorf("%s %s: %s = %q, want %q", tc.method, tc.target, k, hd.Get(k), v)
			}
		}
		if tc.ctype != "" && hd.Get("Content-Type") != tc.ctype {
			t.Errorf("%s %s: Content-Type %q, want %q", tc.method, tc.target, hd.Get("Content-Type"), tc.ctype)
		}
		if tc.status == 405 && hd.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s %s: Allow %q", tc.method, tc.target, hd.Get("Allow"))
		}
	}
	for _, d := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
		"connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"} {
		if !strings.Contains(CSP, d) {
			t.Errorf("CSP lacks %s", d)
		}
	}
}

// TestHostMustBeLocal: a Host naming a DNS name (a rebinding attack) is
// refused; IP addresses and localhost are served.
func TestHostMustBeLocal(t *testing.T) {
	h, _ := testHandler(t, newClock())
	for host, want := range map[string]int{"127.0.0.1:9192": 200, "[::1]:9192": 200, "localhost:9192": 200,
		"LOCALHOST": 200, "10.0.0.7": 200, "evil.example:9192": 421, "127.0.0.1.nip.io:9192": 421, "": 421} {
		req := httptest.NewRequest("GET", "/ui/api/status", nil)
		req.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != want {
			t.Errorf("Host %q: status %d, want %d", host, w.Code, want)
		}
	}
}

func TestStatusJSON(t *testing.T) {
	h, _ := testHandler(t, newClock())
	var got struct {
		Now    time.Time `json:"now"`
		Policy struct {
			Loaded     bool   `json:"loaded"`
			Version    string `json:"version"`
			Source     string `json:"source"`
			AgeSeconds int64  `json:"age_seconds"`
			Policies   int    `json:"policies"`
		} `json:"policy"`
		Shadow     *struct{} `json:"shadow"`
		Exceptions []struct {
			Ticket           string `json:"ticket"`
			Policy           string `json:"policy"`
			ExpiresInSeconds int64  `json:"expires_in_seconds"`
		} `json:"exceptions"`
		Bundles []struct {
			TrustDomain string `json:"trust_domain"`
			Present     bool   `json:"present"`
			AgeSeconds  *int64 `json:"age_seconds"`
		} `json:"bundles"`
	}
	decode(t, get(t, h, "GET", "/ui/api/status"), &got)
	p := got.Policy
	if !p.Loaded || p.Version != "v42" || p.Source != "/etc/tollgate/policies" || p.AgeSeconds != 90 || p.Policies != 6 {
		t.Errorf("policy = %+v", p)
	}
	if got.Shadow != nil {
		t.Errorf("shadow = %+v without a shadow policy", got.Shadow)
	}
	if len(got.Exceptions) != 1 || got.Exceptions[0].Ticket != "SEC-1" || got.Exceptions[0].ExpiresInSeconds != 3*3600 {
		t.Errorf("exceptions = %+v", got.Exceptions)
	}
	b := got.Bundles
	if len(b) != 2 || !b[0].Present || b[0].AgeSeconds == nil || *b[0].AgeSeconds != 10 || b[1].Present || b[1].AgeSeconds != nil {
		t.Errorf("bundles = %+v", b)
	}
}

// TestDecisionsJSON: the tail as JSON, newest first, filterable to denies;
// markup in a value stays an escaped JSON string.
func TestDecisionsJSON(t *testing.T) {
	h, r := testHandler(t, newClock())
	const evil = `Order::"<img src=x onerror=alert(1)>"`
	r.ObserveDecision(allowSummary(1))
	r.ObserveDecision(authz.DecisionSummary{ID: "d-2", Outcome: "forbidden", Code: "forbid", Principal: "spiffe://example.org/a",
		Action: `Action::"DeleteOrder"`, Resource: evil, Policies: []string{"no-delete"}})
	type row struct {
		ID        string   `json:"decision_id"`
		Allowed   bool     `json:"allowed"`
		Resource  string   `json:"resource"`
		Policies  []string `json:"policies"`
		Principal string   `json:"principal"`
	}
	var all, denies struct {
		Capacity  int   `json:"capacity"`
		Decisions []row `json:"decisions"`
	}
	w := get(t, h, "GET", "/ui/api/decisions")
	if strings.Contains(w.Body.String(), "<img") {
		t.Errorf("raw markup in the JSON: %s", w.Body)
	}
	decode(t, w, &all)
	if all.Capacity != RecentSize || len(all.Decisions) != 2 || all.Decisions[0].ID != "d-2" || all.Decisions[0].Resource != evil {
		t.Errorf("all = %+v", all)
	}
	decode(t, get(t, h, "GET", "/ui/api/decisions?filter=deny"), &denies)
	if len(denies.Decisions) != 1 || denies.Decisions[0].Allowed || denies.Decisions[0].Policies[0] != "no-delete" {
		t.Errorf("denies = %+v", denies)
	}
}

func TestDeniesJSON(t *testing.T) {
	h, r := testHandler(t, newClock())
	r.ObserveDecision(denySummary(1, "no-delete"))
	var d Denies
	decode(t, get(t, h, "GET", "/ui/api/denies"), &d)
	if d.Total != 1 || len(d.PerMin) != Minutes || d.ByPolicy[0] != (Count{"no-delete", 1}) || d.ByAction[0] != (Count{"DeleteOrder", 1}) {
		t.Errorf("denies = %+v", d)
	}
}

// TestStaticFilesHaveNoInlineCode: the page would break under its own CSP
// with inline script or style, and must not reach outside the origin or
// write HTML from data.
func TestStaticFilesHaveNoInlineCode(t *testing.T) {
	html, _ := static.ReadFile("static/index.html")
	js, _ := static.ReadFile("static/app.js")
	for _, tag := range regexp.MustCompile(`<script[^>]*>[^<]*`).FindAll(html, -1) {
		if !regexp.MustCompile(`^<script src="[a-z]+\.js"( defer)?>$`).Match(tag) {
			t.Errorf("index.html has an inline or foreign script: %s", tag)
		}
	}
	for _, bad := range []*regexp.Regexp{regexp.MustCompile(`\sstyle=`), regexp.MustCompile(`<style`), regexp.MustCompile(`\son[a-z]+=`), regexp.MustCompile(`https?://`)} {
		if bad.Match(html) {
			t.Errorf("index.html matches %s", bad)
		}
	}
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "http://", "https://"} {
		if strings.Contains(string(js), bad) {
			t.Errorf("app.js uses %s", bad)
		}
	}
}

func decode(t testing.TB, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("%v: %s", err, w.Body)
	}
}

// FuzzRequest: any path and query under /ui/ is answered with a status and
// the security headers, never a panic; a 200 from the API is valid JSON.
func FuzzRequest(f *testing.F) {
	for _, s := range []string{"api/decisions?filter=deny", "api/status", "api/decisions?filter=all&filter=deny",
		"api/decisions?%zz", "?x", "app.js?v=1", "api/denies?"} {
		f.Add(s)
	}
	h, r := testHandler(f, newClock())
	r.ObserveDecision(denySummary(1, "p"))
	f.Fuzz(func(t *testing.T, rest string) {
		req, err := http.NewRequest("GET", "http://127.0.0.1/ui/"+rest, nil)
		if err != nil {
			return
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Header().Get("Content-Security-Policy") != CSP {
			t.Fatalf("%q: no CSP", rest)
		}
		if w.Code == 200 && strings.HasPrefix(req.URL.Path, "/ui/api/") && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%q: invalid JSON %s", rest, w.Body)
		}
	})
}
